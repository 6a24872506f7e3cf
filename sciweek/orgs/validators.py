from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_FULLWIDTH = str.maketrans("０１２３４５６７８９－　", "0123456789- ")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,5})?$")


def check_mobile(value: str, *, field: str = "mobile", label: str = "手机号") -> str:
    """A mainland mobile number (11 digits starting 13–19); spaces, dashes and +86 tolerated."""
    raw = (value or "").translate(_FULLWIDTH).strip()
    digits = re.sub(r"[\s-]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not MOBILE_RE.match(digits):
        raise ValidationError(
            {
                field: (
                    _("%(label)s「%(value)s」格式不正确，应为11位手机号码。")
                    % {"label": label, "value": value}
                )
            }
        )
    return digits


def check_phone(value: str, *, field: str = "phone", label: str = "电话") -> str:
    """A mobile or a landline such as 7022310 / 0557-7022310."""
    raw = (value or "").translate(_FULLWIDTH).strip()
    compact = re.sub(r"\s", "", raw)
    if MOBILE_RE.match(compact) or LANDLINE_RE.match(compact):
        return compact
    raise ValidationError(
        {field: (_("%(label)s「%(value)s」格式不正确。") % {"label": label, "value": value})}
    )
