"""Writes of the 最美 selection: nominations (nominations.py), the public vote (voting.py)."""
