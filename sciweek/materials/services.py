"""Publicity content a unit sends before the week (notice 五.1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version
from sciweek.orgs.models import OrgUnit

from .models import PublicitySubmission

MAX_BODY = 3000  # one display board holds about this much text


@transaction.atomic
def publicity_save(
    *,
    actor: Any,
    campaign: Campaign,
    unit: OrgUnit,
    version: int | None,
    headline: str,
    body: str,
    submit: bool,
) -> PublicitySubmission:
    headline, body = (headline or "").strip(), (body or "").strip()
    errors = {}
    if not headline:
        errors["headline"] = "请填写展板标题。"
    if not body:
        errors["body"] = "请填写宣传内容。"
    elif len(body) > MAX_BODY:
        errors["body"] = f"宣传内容共{len(body)}字，超过一块展板的容量（{MAX_BODY}字），请精简。"
    if submit and not unit.staff.exists():
        errors["__all__"] = "报送前请先在本单位页面登记工作人员姓名和手机号。"
    if errors:
        raise ValidationError(errors)
    sub = PublicitySubmission.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    before = None
    if sub is None:
        sub = PublicitySubmission(campaign=campaign, unit=unit)
    else:
        check_version(sub, version, "宣传内容")
        before = snapshot(sub)
        sub.version += 1
    sub.headline, sub.body = headline, body
    if submit:
        sub.submitted_at, sub.submitted_by = clock.now(), actor
    sub.save()
    audit_log(
        actor=actor,
        action="publicity.submit" if submit else "publicity.save",
        obj=sub,
        before=before,
        after=snapshot(sub),
    )
    return sub
