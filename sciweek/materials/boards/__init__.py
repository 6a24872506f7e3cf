"""Print-ready display boards (notice 五.1 "由县科技局统一制作宣传展板"): sizes as data, fonts that embed,
one layout computed once and drawn twice (vector PDF with ReportLab, PNG preview with Pillow)."""
