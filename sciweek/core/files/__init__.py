"""Safe handling of uploaded files: type by content, size limits while streaming, ZIP-bomb and
path-traversal checks, video length, image decoding and thumbnails, guarded Excel / Word opening.

Every refusal is an ``UploadRejected`` (a ``ValueError``) whose ``message`` is Chinese text naming
the field, fit to show the user as is.
"""

from .errors import UploadRejected, format_duration, human_size
from .limits import StoredUpload, sanitize_display_name, save_upload_streamed
from .media import check_image, check_video, make_thumbnail, video_duration_seconds
from .office import cell_ref, office_read_errors, open_docx_safely, open_xlsx_safely
from .pending import (
    UploadLimitHandler,
    check_pending_cap,
    folder_bytes,
    pending_cap_bytes,
    user_folder,
    waiting_bytes,
)
from .sniff import (
    DOCUMENT_KINDS,
    IMAGE_KINDS,
    KIND_INFO,
    VIDEO_KINDS,
    ZIP_KINDS,
    FileKind,
    detect_kind,
    require_kind,
    sniff_file,
)
from .zipcheck import check_zip_safe, is_unsafe_member_name

__all__ = [
    "DOCUMENT_KINDS",
    "IMAGE_KINDS",
    "KIND_INFO",
    "VIDEO_KINDS",
    "ZIP_KINDS",
    "FileKind",
    "StoredUpload",
    "UploadLimitHandler",
    "UploadRejected",
    "cell_ref",
    "check_image",
    "check_pending_cap",
    "check_video",
    "check_zip_safe",
    "detect_kind",
    "folder_bytes",
    "waiting_bytes",
    "format_duration",
    "human_size",
    "is_unsafe_member_name",
    "make_thumbnail",
    "office_read_errors",
    "open_docx_safely",
    "open_xlsx_safely",
    "pending_cap_bytes",
    "require_kind",
    "sanitize_display_name",
    "save_upload_streamed",
    "sniff_file",
    "user_folder",
    "video_duration_seconds",
]
