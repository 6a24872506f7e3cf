"""Requirements of kind "other" (a plan handed in at the bureau, a nomination sent on paper, whatever a
notice asks that no record in the system shows): done when the organizer confirms it, with a note.
No kind is "尚未完成" forever: every kind has a checker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from sciweek.campaigns.compliance import Compliance, register_batch_checker, register_checker
from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Requirement
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.orgs.models import OrgUnit

from .models import Confirmation


def _result(c: Confirmation | None) -> Compliance:
    if c is None:
        return Compliance(done=False, detail="待组织单位确认")
    return Compliance(done=True, detail=f"组织单位已确认：{c.note}")


@register_checker(Requirement.Kind.OTHER)
def confirmed(requirement: Requirement, unit: OrgUnit) -> Compliance:
    return _result(Confirmation.objects.filter(requirement=requirement, unit=unit).first())


@register_batch_checker(Requirement.Kind.OTHER)
def confirmed_batch(requirement: Requirement, units: Sequence[OrgUnit]) -> dict[int, Compliance]:
    rows = {c.unit_id: c for c in Confirmation.objects.filter(requirement=requirement, unit__in=list(units))}
    return {u.pk: _result(rows.get(u.pk)) for u in units}


@transaction.atomic
def confirmation_set(*, actor: Any, requirement: Requirement, unit: OrgUnit, note: str) -> Confirmation:
    check_open(requirement.campaign, "setup")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": gettext("请填写确认说明（如：5月17日已收到纸质材料）。")})
    if len(note) > 300:
        raise ValidationError({"note": gettext("确认说明不能超过300个字。")})
    if not unit.path.startswith(requirement.campaign.org_unit.path):
        raise ValidationError({"unit": gettext("该单位不是本次活动周的参与单位。")})
    row, created = Confirmation.objects.update_or_create(
        requirement=requirement,
        unit=unit,
        defaults={"note": note, "confirmed_by": actor, "confirmed_at": clock.now()},
    )
    audit_log(
        actor=actor,
        action="requirement.confirm",
        obj=row,
        object_repr=f"{unit.name}：{requirement.title}",
        unit_path=unit.path,
        after={"note": note, "new": created},
    )
    return row


@transaction.atomic
def confirmation_clear(*, actor: Any, requirement: Requirement, unit: OrgUnit) -> None:
    check_open(requirement.campaign, "setup")
    deleted, _ = Confirmation.objects.filter(requirement=requirement, unit=unit).delete()
    if deleted:
        audit_log(
            actor=actor,
            action="requirement.unconfirm",
            object_type="reminders.confirmation",
            object_repr=f"{unit.name}：{requirement.title}",
            unit_path=unit.path,
        )
