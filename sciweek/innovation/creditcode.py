"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

Characters come from 0-9 and the capital letters without I, O, Z, S, V (31 in all). The check
character is C18 = 31 - (Σ Ci × Wi mod 31), with 31 written as 0. As 31 is prime and no weight is a
multiple of it, any single changed character changes the check, which is why one typo is always caught.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalize(code: str) -> str:
    """Full-width to half-width, spaces dropped, upper case (people paste codes from Word and PDFs)."""
    return "".join(unicodedata.normalize("NFKC", code or "").split()).upper()


def check_character(first17: str) -> str:
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when ``code`` (already normalized) is a valid code, else what is wrong with it, without the
    field's name (the import names the column itself)."""
    if not code:
        return _("不能为空。")
    if len(code) != LENGTH:
        return _("应为18位，收到%(count)s位：%(code)s") % {"count": len(code), "code": code[:30]}
    bad = [ch for ch in code if ch not in VALUE]
    if bad:
        return _("含有不允许的字符「%(char)s」（只能是数字和除 I、O、Z、S、V 以外的大写字母）。") % {
            "char": bad[0]
        }
    if check_character(code[:17]) != code[17]:
        return _("校验不通过：%(code)s 中有字符抄错（第18位校验位与前17位不符），请对照营业执照核对。") % {
            "code": code
        }
    return None


def credit_code_error(code: str) -> str | None:
    """None when ``code`` (already normalized) is a valid code, else a message naming the field."""
    problem = credit_code_problem(code)
    if problem is None:
        return None
    return _("「%(label)s」%(problem)s") % {"label": _("统一社会信用代码"), "problem": problem}


def is_valid(code: str) -> bool:
    return credit_code_error(normalize(code)) is None
