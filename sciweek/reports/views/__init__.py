"""Report pages: unit entry and review (entry.py, review.py), dashboard and roll-up, export / import."""
