"""Setting a selection up: who nominates with what quota, the rules, the optional public vote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.campaigns import lifecycle
from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import StaleVersion
from sciweek.orgs.models import OrgUnit

from ..models import DEFAULT_RULES, NominatingUnit, Selection, max_public_weight
from .requirement import requirement_sync

VOTE_FIELDS = [
    "vote_enabled",
    "vote_from",
    "vote_until",
    "votes_per_candidate_per_day",
    "candidates_per_day",
    "public_weight",
]


def selection_create(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    nominate_until: dt.datetime,
    nominators: list[OrgUnit],
    default_quota: int = 2,
    places: int = 10,
    rules: list[str] | None = None,
    contact_phone: str = "",
    contact_email: str = "",
) -> Selection:
    lifecycle.check_open(campaign, "setup")
    if not title.strip():
        raise ValidationError({"title": _("请填写评选名称。")})
    if not 1 <= default_quota <= 20:
        raise ValidationError({"default_quota": _("推荐名额应在1至20之间。")})
    with transaction.atomic():
        selection = Selection.objects.create(
            campaign=campaign,
            title=title.strip(),
            nominate_until=nominate_until,
            default_quota=default_quota,
            places=places,
            eligibility_rules=list(DEFAULT_RULES if rules is None else rules),
            contact_phone=contact_phone or campaign.contact_phone,
            contact_email=contact_email or campaign.contact_email,
        )
        NominatingUnit.objects.bulk_create(
            [NominatingUnit(selection=selection, unit=u, quota=default_quota) for u in nominators]
        )
        audit_log(
            actor=actor,
            action="selection.create",
            obj=selection,
            unit_path=campaign.org_unit.path,
            after={"title": selection.title, "nominators": len(nominators)},
        )
        # The deadline as the campaign's requirement: reminders, the matrix and the to-do follow it.
        requirement_sync(actor=actor, selection=selection)
    return selection


def selection_set_vote(
    *,
    actor: Any,
    selection: Selection,
    version: int,
    enabled: bool,
    vote_from: dt.datetime | None = None,
    vote_until: dt.datetime | None = None,
    votes_per_candidate_per_day: int = 1,
    candidates_per_day: int = 10,
    public_weight: Decimal = Decimal("0.30"),
) -> Selection:
    """The public vote's rules as data; its weight is capped (SCIWEEK_MAX_PUBLIC_VOTE_WEIGHT, 30 %)."""
    errors: dict[str, str] = {}
    if enabled and not (vote_from and vote_until and vote_from < vote_until):
        errors["vote_until"] = _("请填写投票开始和结束时间（结束须晚于开始）。")
    if not 1 <= votes_per_candidate_per_day <= 10:
        errors["votes_per_candidate_per_day"] = _("每天可投同一候选人的票数应在1至10之间。")
    if not 1 <= candidates_per_day <= 100:
        errors["candidates_per_day"] = _("每天最多投候选人数应在1至100之间。")
    cap = max_public_weight()
    if not Decimal(0) <= public_weight <= cap:
        errors["public_weight"] = _("网络投票权重应在0至%(cap)s之间。") % {"cap": f"{cap:.0%}"}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=selection.pk)
        lifecycle.check_open(selection.campaign, "setup")
        if selection.version != version:
            raise StaleVersion(_("评选设置"))
        before = snapshot(selection, VOTE_FIELDS)
        selection.vote_enabled = enabled
        selection.vote_from, selection.vote_until = vote_from, vote_until
        selection.votes_per_candidate_per_day = votes_per_candidate_per_day
        selection.candidates_per_day = candidates_per_day
        selection.public_weight = public_weight
        selection.version += 1
        selection.save()
        audit_log(
            actor=actor,
            action="selection.vote_rules",
            obj=selection,
            before=before,
            after=snapshot(selection, VOTE_FIELDS),
        )
    return selection


def selection_set_stage(*, actor: Any, selection: Selection, stage: str) -> Selection:
    if stage not in Selection.Stage.values:
        raise ValidationError({"stage": _("未知的阶段。")})
    lifecycle.check_open(selection.campaign, "setup")
    with transaction.atomic():
        before = {"stage": selection.stage}
        Selection.objects.filter(pk=selection.pk).update(stage=stage, version=selection.version + 1)
        selection.refresh_from_db()
        audit_log(actor=actor, action="selection.stage", obj=selection, before=before, after={"stage": stage})
    return selection
