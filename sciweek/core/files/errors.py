"""The one exception every upload check raises, and message helpers shared by the checks."""

from __future__ import annotations


class UploadRejected(ValueError):
    """An uploaded file was refused.

    ``message`` is Chinese text fit to show the user as is; it names the field when the caller gave a
    ``field_label``. ``field`` is that label (or a form field name) so a view can attach the error to
    the right input. ``code`` is a stable machine-readable reason for logs, APIs and tests.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return self.message


def quote_field(field_label: str | None) -> str:
    """「统计表」 for a label, "" when there is none, so messages read well either way."""
    return f"「{field_label}」" if field_label else ""


def pad_latin(text: str) -> str:
    """Add a space where ``text`` meets surrounding Chinese on a Latin letter or digit, as Chinese
    typography does: "检测到 PDF 内容", "不是有效的 Excel 文件", but "检测到纯文本内容"."""
    left = " " if text[:1].isascii() else ""
    right = " " if text[-1:].isascii() else ""
    return f"{left}{text}{right}"


def human_size(num_bytes: int) -> str:
    """Sizes as people read them: 512 B, 12.5 KB, 25.3 MB, 1.2 GB (1 MB = 1024 KB); whole numbers
    lose their decimals, so a limit reads "20 MB", not "20.0 MB"."""
    if num_bytes < 1024:
        return f"{num_bytes} B"
    value = num_bytes / 1024
    for unit in ("KB", "MB", "GB"):
        text = f"{value:.1f}"
        # 1023.96 KB would print as "1024.0 KB": move it up to the next unit instead.
        if float(text) < 1024 or unit == "GB":
            return f"{text.removesuffix('.0')} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_duration(seconds: float) -> str:
    """3分12秒 / 3分钟 / 45秒 — whole seconds, rounded to nearest."""
    total = int(seconds + 0.5)
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return f"{secs}秒"
    if secs == 0:
        return f"{minutes}分钟"
    return f"{minutes}分{secs}秒"
