"""A unit's publicity content: text with light structure, checked photos, the review workflow."""
