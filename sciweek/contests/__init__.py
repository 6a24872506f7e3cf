"""The county youth science & technology innovation contest (notice 四.3), judged with ``judging``."""
