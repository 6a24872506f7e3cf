"""Writes of the reports app (entry, workflow, attachments, form editing) and the reads they need.

Import from here: ``from sciweek.reports import services; services.report_submit(...)``.
"""

from .access import (
    access_attachment,
    access_report,
    access_report_to_fill,
    access_report_to_review,
    can_fill,
    can_reopen,
    can_review,
    filling_units,
    is_bureau,
    is_unit_head,
    unit_to_fill,
)
from .attachments import (
    KIND_RULES,
    attachment_add_file,
    attachment_add_link,
    attachment_delete,
    install_upload_limit,
    kind_label,
    upload_limit_bytes,
)
from .deadline import Deadline, check_not_locked, deadline_exception_grant, report_deadline
from .entry import (
    CellInput,
    ReportStale,
    SaveResult,
    changed_labels_since,
    current_form,
    form_rows,
    report_cells,
    report_get_or_create,
    report_save_values,
)
from .forms import (
    RowData,
    form_has_data,
    form_row_delete,
    form_row_move,
    form_row_save,
    form_rule_add,
    form_rule_delete,
    form_settings_save,
)
from .queue import FILTERS, QueueRow, final_report_compliance, review_queue
from .workflow import (
    report_approve,
    report_head_decide,
    report_reopen,
    report_return,
    report_submit,
    submit_problems,
)

__all__ = [
    "FILTERS", "KIND_RULES", "CellInput", "Deadline", "QueueRow", "ReportStale", "RowData", "SaveResult",
    "access_attachment", "access_report", "access_report_to_fill", "access_report_to_review",
    "attachment_add_file", "attachment_add_link", "attachment_delete", "can_fill", "can_reopen", "can_review",
    "changed_labels_since", "check_not_locked", "current_form", "deadline_exception_grant", "filling_units",
    "final_report_compliance", "form_has_data", "form_row_delete", "form_row_move", "form_row_save",
    "form_rule_add", "form_rule_delete", "form_rows", "form_settings_save", "install_upload_limit", "is_bureau",
    "is_unit_head", "kind_label", "report_approve", "report_cells", "report_deadline", "report_get_or_create",
    "report_head_decide", "report_reopen", "report_return", "report_save_values", "report_submit",
    "review_queue", "submit_problems", "unit_to_fill", "upload_limit_bytes",
]
