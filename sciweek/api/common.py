"""Pieces every router shares: input schemas that refuse bad text, Chinese messages for schema errors,
unit-id resolution inside a campaign's region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, model_validator

from sciweek.orgs.models import OrgUnit

# pydantic error type → what a person filling the field should read.
_MESSAGES = {
    "missing": "缺少必填项。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "string_type": "应为文字。",
    "string_too_long": "不能超过{max_length}个字。",
    "string_too_short": "不能为空。",
    "date_parsing": "日期格式不正确，应为 2023-05-20 这样的格式。",
    "date_from_datetime_parsing": "日期格式不正确，应为 2023-05-20 这样的格式。",
    "date_type": "日期格式不正确，应为 2023-05-20 这样的格式。",
    "datetime_parsing": "时间格式不正确，应为 2023-05-20T09:00 这样的格式。",
    "datetime_from_date_parsing": "时间格式不正确，应为 2023-05-20T09:00 这样的格式。",
    "datetime_type": "时间格式不正确，应为 2023-05-20T09:00 这样的格式。",
    "time_parsing": "时间格式不正确，应为 17:30 这样的格式。",
    "time_type": "时间格式不正确，应为 17:30 这样的格式。",
    "list_type": "应为列表。",
    "greater_than_equal": "不能小于{ge}。",
    "less_than_equal": "不能大于{le}。",
    "model_attributes_type": "请求内容应为 JSON 对象。",
    "dict_type": "请求内容应为 JSON 对象。",
    "json_invalid": "请求内容不是有效的 JSON。",
    "no_nul": "不能包含空字符（\\x00）。",
}


def absent(**constraints: Any) -> Any:
    """A field of a PATCH body that may be left out but not sent as null: pydantic does not validate
    the default, so an explicit null is still refused (400), and the view changes only the fields
    sent (``exclude_unset``). Typed ``Any`` so the field keeps its plain type for mypy."""
    return Field(None, **constraints)


def schema_errors_to_detail(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja's error list → {"field": ["中文说明"]} (the same shape as a service's ValidationError)."""
    detail: dict[str, list[str]] = {}
    for err in errors:
        loc = [
            str(p)
            for p in err.get("loc", ())
            if p not in ("body", "payload", "query", "path", "form", "file")
        ]
        field = ".".join(loc) or "__all__"
        template = _MESSAGES.get(err.get("type", ""))
        if template is None:
            text = f"格式不正确（{err.get('msg', '')}）。"
        else:
            try:
                text = template.format(**(err.get("ctx") or {}))
            except (KeyError, IndexError):
                text = template
        detail.setdefault(field, []).append(text)
    return detail


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class InSchema(Schema):
    """Base for request bodies: text with NUL characters never reaches the database."""

    @model_validator(mode="after")
    def _no_nul(self) -> InSchema:
        bad = [name for name in type(self).model_fields if _has_nul(getattr(self, name, None))]
        if bad:
            raise ValidationError({name: [_MESSAGES["no_nul"]] for name in bad})
        return self


class ErrorOut(Schema):
    detail: Any


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Times without a zone are Beijing time (Asia/Shanghai), as people write them."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Answer times in Beijing time (+08:00), as the pages show them."""
    return timezone.localtime(value) if value is not None else None


MAX_DB_ID = 2**63 - 1


def units_within(ids: list[int], *, region: OrgUnit, field: str, allowed: Any = None) -> list[OrgUnit]:
    """Resolve unit ids that must lie inside `region` (optionally inside the `allowed` queryset).

    Ids outside the region and ids that do not exist get the same message, so the answer does not tell
    whether a unit elsewhere exists.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    qs = allowed if allowed is not None else OrgUnit.objects.filter(path__startswith=region.path)
    # An id no database column can hold cannot name a unit; SQLite would overflow on it.
    found = {u.pk: u for u in qs.filter(pk__in=[i for i in wanted if 0 < i <= MAX_DB_ID])}
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise ValidationError(
            {
                field: (
                    _("单位编号 %(missing)s 不存在或不在「%(name)s」范围内。")
                    % {"missing": "、".join(missing), "name": region.name}
                )
            }
        )
    return [found[i] for i in wanted]
