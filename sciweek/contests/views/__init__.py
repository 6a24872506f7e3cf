"""Pages of the contest: the judge's (judge.py), the organizer's and schools' (manage.py, entries.py)."""
