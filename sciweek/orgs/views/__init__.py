"""The organizer's unit pages under /manage/units/ (account pages live in sciweek.accounts)."""

from .detail import staff_add, staff_delete, staff_edit, unit_detail
from .imports import import_cancel, import_commit, import_job, import_preview, import_template, import_upload
from .tree import tree, unit_active, unit_add, unit_edit, unit_merge, unit_move

__all__ = [
    "import_cancel",
    "import_commit",
    "import_job",
    "import_preview",
    "import_template",
    "import_upload",
    "staff_add",
    "staff_delete",
    "staff_edit",
    "tree",
    "unit_active",
    "unit_add",
    "unit_detail",
    "unit_edit",
    "unit_merge",
    "unit_move",
]
