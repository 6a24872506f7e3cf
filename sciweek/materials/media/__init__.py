"""Media coverage of the week (notice 四.6): outlets, reports, the bureau's confirmation, the counts."""
