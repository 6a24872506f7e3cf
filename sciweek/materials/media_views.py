"""Media coverage pages (filled in below)."""
