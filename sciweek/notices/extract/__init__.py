"""Notice importer: turns a 科技活动周 notice (text, .docx or .pdf) into a draft campaign for review.

Public API::

    parse_notice(text, *, close_of_business=time(17, 30)) -> NoticeDraft
    read_notice_file(data, filename) -> str            # raises NoticeFileError (Chinese message)
    parse_notice_file(data, filename, *, close_of_business=...) -> NoticeDraft   # never raises
    NoticeDraft.to_json() -> dict
"""

from .draft import Activity, Contact, Deadline, NoticeDraft, NoticeWarning, Reference, StatForm, StatRow
from .parser import parse_notice, parse_notice_file, read_notice_file
from .readers import NoticeFileError

__all__ = [
    "Activity",
    "Contact",
    "Deadline",
    "NoticeDraft",
    "NoticeFileError",
    "NoticeWarning",
    "Reference",
    "StatForm",
    "StatRow",
    "parse_notice",
    "parse_notice_file",
    "read_notice_file",
]
