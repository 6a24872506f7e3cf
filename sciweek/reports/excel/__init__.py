"""Official-layout Excel / Word export of the statistics table, and the label-tolerant importer."""

from sciweek.reports.excel.export import (
    UnitValues,
    blank_template,
    export_matrix_streaming,
    export_unit_docx,
    export_unit_workbook,
    export_workbook,
    write_unit_sheet,
)
from sciweek.reports.excel.importer import FileResult, Problem, SheetResult, read_stat_files

__all__ = [
    "FileResult",
    "Problem",
    "SheetResult",
    "UnitValues",
    "blank_template",
    "export_matrix_streaming",
    "export_unit_docx",
    "export_unit_workbook",
    "export_workbook",
    "read_stat_files",
    "write_unit_sheet",
]
