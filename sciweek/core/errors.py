"""Errors services raise; views turn them into messages next to the field or row named."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleVersion(ValidationError):
    """Someone else saved the object since this form was loaded (optimistic locking)."""

    def __init__(self, what: str, *, current: dict | None = None) -> None:
        super().__init__(
            _("%(what)s已被其他人修改，请刷新页面查看最新内容后再保存。") % {"what": what}, code="stale"
        )
        self.current = current or {}


def check_version(obj, submitted: int | None, what: str) -> None:
    if submitted is not None and int(submitted) != obj.version:
        raise StaleVersion(what)
