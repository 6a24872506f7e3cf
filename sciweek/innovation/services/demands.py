"""Technology demands: fields, the status pipeline, publication, confirmed matches.

征集 → 审核 → 匹配 → 上门诊断 → 对接 → 签约 → 跟踪 → 解决, and 关闭 (with a reason) from any open status;
the bureau may send a demand under review back to 征集. The town collects and sends for review; every
later step is the bureau's (an organizer over the town). Entering 对接 needs a confirmed match, 签约 a
contract amount and its registered contract number. A 涉密 demand is never published.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.core import clock
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version
from sciweek.core.notify import notify_units, notify_user
from sciweek.orgs.access import can_manage_unit

from ..access import can_write_for
from ..choices import CoopMode, DemandType, Field, Status
from ..matching import region_of
from ..models import Demand, DemandChange, Enterprise, Expert, Match, PartnerOrg
from ..text import token_text

S = Status
NEXT: dict[str, set[str]] = {
    S.COLLECTED: {S.REVIEWED, S.CLOSED},
    S.REVIEWED: {S.MATCHING, S.COLLECTED, S.CLOSED},
    S.MATCHING: {S.DIAGNOSIS, S.CLOSED},
    S.DIAGNOSIS: {S.CONNECTING, S.CLOSED},
    S.CONNECTING: {S.SIGNED, S.CLOSED},
    S.SIGNED: {S.TRACKING, S.CLOSED},
    S.TRACKING: {S.SOLVED, S.CLOSED},
    S.SOLVED: set(),
    S.CLOSED: set(),
}
TOWN_STEPS = {(S.COLLECTED, S.REVIEWED), (S.COLLECTED, S.CLOSED)}  # what a town may do itself
FINISHED = {S.SOLVED, S.CLOSED}
DEMAND_FIELDS = (
    "title", "field", "demand_type", "description", "targets", "benchmark", "coop_mode", "budget", "wanted_by", "is_secret",
)  # fmt: skip
LIMITS: dict[str, tuple[Any, int]] = {
    "title": (gettext_lazy("需求名称"), 100),
    "description": (gettext_lazy("现状与问题"), 4000),
    "targets": (gettext_lazy("量化目标指标"), 2000),
    "benchmark": (gettext_lazy("对标水平"), 200),
}
MAX_AMOUNT = Decimal("9999999999")


def _amount(value: Any, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {
                field: _("「%(label)s」应填写数字（万元），收到「%(value)s」。")
                % {"label": label, "value": str(value)[:20]}
            }
        )
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(
            {field: _("「%(label)s」应在 0 到 %(max)s 万元之间。") % {"label": label, "max": MAX_AMOUNT}}
        )
    return amount


def check_demand_fields(fields: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, (label, limit) in LIMITS.items():
        if key in fields or not partial:
            text = str(fields.get(key) or "").strip()
            if key in {"title", "description"} and not text:
                errors[key] = _("请填写「%(label)s」。") % {"label": label}
            elif len(text) > limit:
                errors[key] = _("「%(label)s」不能超过%(limit)s个字。") % {"label": label, "limit": limit}
            out[key] = text
    for key, choices, label, required in (
        ("field", Field, _("技术领域"), True),
        ("demand_type", DemandType, _("需求类型"), False),
        ("coop_mode", CoopMode, _("合作方式"), False),
    ):
        if key in fields or not partial:
            value = str(fields.get(key) or "")
            if (required and not value) or (value and value not in choices.values):
                options = _("、").join(str(c.label) for c in choices)
                errors[key] = _("「%(label)s」应为以下之一：%(options)s。") % {
                    "label": label,
                    "options": options,
                }
            out[key] = value
    if "budget" in fields:
        try:
            out["budget"] = _amount(fields["budget"], "budget", _("预算"))
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if "wanted_by" in fields:
        wanted: Any = fields["wanted_by"]
        if isinstance(wanted, str) and wanted:
            try:
                wanted = dt.date.fromisoformat(wanted)
            except ValueError:
                errors["wanted_by"] = _("「期望完成时间」格式应为 2023-12-31。")
        out["wanted_by"] = wanted or None
    if "is_secret" in fields:
        out["is_secret"] = bool(fields["is_secret"])
    if errors:
        raise ValidationError(errors)
    return out


def _search_text(d: Demand) -> str:
    return token_text(d.title, d.description, d.targets)


def _change(demand: Demand, actor: Any, old: str, new: str, note: str = "") -> None:
    name = actor.get_username() if getattr(actor, "is_authenticated", False) else str(actor or "系统")
    DemandChange.objects.create(
        demand=demand, from_status=old, to_status=new, note=note[:300], actor_name=name, at=clock.now()
    )


@transaction.atomic
def demand_create(*, actor: Any, enterprise: Enterprise, **fields: Any) -> Demand:
    if unknown := set(fields) - set(DEMAND_FIELDS):
        raise TypeError(f"unknown demand fields: {sorted(unknown)}")
    clean = check_demand_fields(fields)
    demand = Demand(
        enterprise=enterprise,
        unit=enterprise.unit,
        created_by=actor if getattr(actor, "pk", None) else None,
        **clean,
    )
    demand.search_text = _search_text(demand)
    demand.save()
    _change(demand, actor, "", S.COLLECTED)
    audit_log(
        actor=actor, action="innovation.demand_create", obj=demand, after=snapshot(demand, DEMAND_FIELDS)
    )
    return demand


# Switched off only by the concurrency test, to show that it catches the race without the row lock.
LOCK_ROWS = True


def _locked(demand: Demand) -> Demand:
    """The demand re-read under a row lock: the version check then sees the last committed change."""
    qs = Demand.objects.select_for_update() if LOCK_ROWS else Demand.objects.all()
    return qs.select_related("unit", "enterprise").get(pk=demand.pk)


@transaction.atomic
def demand_update(*, actor: Any, demand: Demand, version: int | None, **fields: Any) -> Demand:
    if unknown := set(fields) - set(DEMAND_FIELDS):
        raise TypeError(f"unknown demand fields: {sorted(unknown)}")
    demand = _locked(demand)
    check_version(demand, version, _("该技术需求"))
    if demand.status in FINISHED:
        raise ValidationError(
            {"status": _("需求已%(status)s，不能再修改。") % {"status": demand.get_status_display()}}
        )
    before = snapshot(demand, DEMAND_FIELDS)
    for key, value in check_demand_fields(fields, partial=True).items():
        setattr(demand, key, value)
    if demand.is_secret:
        demand.is_published = False  # 涉密 withdraws it from publication at once
    demand.search_text = _search_text(demand)
    demand.version = F("version") + 1
    demand.save()
    demand.refresh_from_db()
    audit_log(
        actor=actor,
        action="innovation.demand_update",
        obj=demand,
        before=before,
        after=snapshot(demand, DEMAND_FIELDS),
    )
    return demand


def allowed_steps(user: Any, demand: Demand) -> list[str]:
    """The statuses `user` may move `demand` to now (for the buttons a page shows)."""
    steps = NEXT[demand.status]
    if can_manage_unit(user, demand.unit):
        return [s for s in Status.values if s in steps]
    if can_write_for(user, demand.unit):
        return [s for s in Status.values if s in steps and (demand.status, s) in TOWN_STEPS]
    return []


@transaction.atomic
def demand_set_status(
    *,
    actor: Any,
    demand: Demand,
    to: str,
    version: int | None,
    note: str = "",
    contract_amount: Any = None,
    contract_number: str = "",
) -> Demand:
    demand = _locked(demand)
    check_version(demand, version, _("该技术需求"))
    old = demand.status
    if to not in Status.values:
        raise ValidationError({"status": _("未知的状态。")})
    if to not in NEXT[old]:
        allowed = _("、").join(str(Status(s).label) for s in Status.values if s in NEXT[old]) or _(
            "无（已结束）"
        )
        raise ValidationError(
            {
                "status": _("需求当前为「%(old)s」，不能改为「%(new)s」（可改为：%(allowed)s）。")
                % {"old": Status(old).label, "new": Status(to).label, "allowed": allowed}
            }
        )
    if to not in allowed_steps(actor, demand):
        raise PermissionDenied(_("这一步由主办单位（科技局）办理"))
    note = (note or "").strip()
    if to == S.CLOSED and not note:
        raise ValidationError({"note": _("关闭需求请填写原因。")})
    if to == S.CONNECTING and not demand.matches.exists():
        raise ValidationError({"status": _("进入「对接」前请先确认至少一个匹配的专家或机构。")})
    before = snapshot(demand, ("status", "contract_amount", "contract_number"))
    if to == S.SIGNED:
        amount = _amount(contract_amount, "contract_amount", _("合同金额"))
        number = (contract_number or "").strip()
        errors = {}
        if not amount:
            errors["contract_amount"] = _("签约须填写「合同金额」（万元）。")
        if not number or len(number) > 40:
            errors["contract_number"] = _("签约须填写「技术合同登记编号」（不超过40个字符）。")
        if errors:
            raise ValidationError(errors)
        demand.contract_amount, demand.contract_number = amount, number
    demand.status = to
    demand.version = F("version") + 1
    demand.save(update_fields=["status", "contract_amount", "contract_number", "version", "updated_at"])
    demand.refresh_from_db()
    _change(demand, actor, old, to, note)
    audit_log(
        actor=actor,
        action="innovation.demand_status",
        obj=demand,
        before=before,
        after=snapshot(demand, ("status", "contract_amount", "contract_number")),
        note=note,
    )
    return demand


@transaction.atomic
def demand_publish(*, actor: Any, demand: Demand, publish: bool, version: int | None) -> Demand:
    demand = _locked(demand)
    check_version(demand, version, _("该技术需求"))
    if not can_manage_unit(actor, demand.unit):
        raise PermissionDenied(_("只有主办单位可以发布技术需求"))
    if publish and demand.is_secret:
        raise ValidationError({"is_published": _("涉密需求不能发布。")})
    if publish and demand.status in {S.COLLECTED, S.REVIEWED}:
        raise ValidationError({"is_published": _("需求审核通过后才能发布。")})
    demand.is_published = publish
    demand.version = F("version") + 1
    demand.save(update_fields=["is_published", "version", "updated_at"])
    demand.refresh_from_db()
    audit_log(
        actor=actor,
        action="innovation.demand_publish" if publish else "innovation.demand_unpublish",
        obj=demand,
    )
    return demand


@transaction.atomic
def match_confirm(
    *,
    actor: Any,
    demand: Demand,
    kind: str,
    target_id: int,
    score: float = 0,
    reasons: list[str] | None = None,
) -> Match:
    """The organizer confirms a suggestion; the enterprise's town and the expert (or organisation's
    contact, through the bureau) are notified."""
    demand = _locked(demand)
    if not can_manage_unit(actor, demand.unit):
        raise PermissionDenied(_("只有主办单位可以确认匹配"))
    if demand.status in FINISHED or demand.status in {S.COLLECTED, S.REVIEWED}:
        raise ValidationError(
            {"status": _("需求为「%(status)s」，不能确认匹配。") % {"status": demand.get_status_display()}}
        )
    region = region_of(demand)
    if kind == Match.Kind.EXPERT:
        target: Expert | PartnerOrg | None = Expert.objects.filter(
            pk=target_id, region=region, is_active=True
        ).first()
        lookup = {"expert": target}
    elif kind == Match.Kind.ORGANIZATION:
        target = PartnerOrg.objects.filter(pk=target_id, region=region).first()
        lookup = {"partner": target}
    else:
        raise ValidationError({"kind": _("「类型」应为 expert 或 organization。")})
    if target is None:
        raise ValidationError({"id": _("专家或机构不存在。")})
    if Match.objects.filter(demand=demand, **lookup).exists():
        raise ValidationError({"id": _("「%(name)s」已确认匹配。") % {"name": target.name}})
    match = Match.objects.create(
        demand=demand,
        kind=kind,
        score=score,
        reasons=list(reasons or []),
        confirmed_by=actor if getattr(actor, "pk", None) else None,
        confirmed_at=clock.now(),
        **lookup,
    )
    title = f"技术需求已匹配：{demand.title}"
    body = f"{demand.enterprise.name}的技术需求「{demand.title}」已与{target.name}确认对接，请尽快联系。"
    notify_units(units=[demand.unit], title=title, body=body, link=f"/innovation/demands/{demand.pk}/")
    if kind == Match.Kind.EXPERT and target.user_id:  # type: ignore[union-attr]
        notify_user(user=target.user, title=title, body=body, link=f"/innovation/demands/{demand.pk}/")  # type: ignore[union-attr]
    audit_log(
        actor=actor,
        action="innovation.match_confirm",
        obj=demand,
        after={"kind": kind, "target": target.name, "score": score},
    )
    return match


def demand_timeline(demand: Demand) -> list[DemandChange]:
    return list(demand.changes.all())
