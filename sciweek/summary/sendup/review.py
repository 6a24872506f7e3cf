"""The level above: who may see and review a send-up, return with a reason or approve, what changed
from one version to the next, and the review queue (every region below with its versions)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log
from sciweek.core.clock import now
from sciweek.core.notify import notify_units
from sciweek.orgs.access import can_manage_unit, is_bureau_member
from sciweek.reports import selectors

from ..models import SendUp
from .regions import child_regions, latest_by_region, outdated_ids

#: the figures the review queue shows beside each region
HEADLINE = ("events_held", "public_offline", "public_online", "fund_fiscal")


def access_sendup(user: Any, sendup_id: Any, *, review: bool = False) -> SendUp:
    """The county's organizers see their own send-ups; the target region's bureau sees and reviews all."""
    try:
        s = SendUp.objects.select_related("region", "target__org_unit", "source__org_unit").get(
            pk=int(sendup_id)
        )
    except (SendUp.DoesNotExist, TypeError, ValueError):
        raise Http404(_("上报不存在"))
    upper = is_bureau_member(user, s.target.org_unit)
    if not (upper or is_bureau_member(user, s.region)):
        raise Http404(_("上报不存在"))
    if review and not can_manage_unit(user, s.target.org_unit):
        raise PermissionDenied(_("只有上级组织单位可以审核上报"))
    return s


def _review(s: SendUp, actor: Any, version: int | None) -> SendUp:
    locked = SendUp.objects.select_for_update().get(pk=s.pk)
    if version is not None and locked.review_version != version:
        raise ValidationError(_("这份上报已被他人处理，请刷新"), code="stale")
    if locked.status != SendUp.Status.SENT:
        raise ValidationError(
            {"status": [_("这份上报%(status)s，不能再审核") % {"status": locked.get_status_display()}]}
        )
    return locked


@transaction.atomic
def sendup_return(*, sendup: SendUp, actor: Any, reason: str, version: int | None = None) -> SendUp:
    s = _review(sendup, actor, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写退回原因")]})
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("退回原因不超过1000字")]})
    s.status, s.reason, s.reviewed_at, s.reviewed_by = SendUp.Status.RETURNED, reason, now(), actor
    s.review_version += 1
    s.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by", "review_version"])
    audit_log(
        actor=actor,
        action="sendup.return",
        obj=s,
        unit_path=s.region.path,
        note=reason,
        after={"status": s.status},
    )
    notify_units(
        units=[s.region],
        title=_("%(title)s：第%(n)s版上报被退回") % {"title": s.target.title, "n": s.number},
        body=_("退回原因：%(reason)s") % {"reason": reason},
        link=f"/summary/sendup/{s.pk}/",
        email=False,
    )
    return s


@transaction.atomic
def sendup_approve(*, sendup: SendUp, actor: Any, version: int | None = None) -> SendUp:
    s = _review(sendup, actor, version)
    s.status, s.reason, s.reviewed_at, s.reviewed_by = SendUp.Status.APPROVED, "", now(), actor
    s.review_version += 1
    s.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by", "review_version"])
    audit_log(
        actor=actor, action="sendup.approve", obj=s, unit_path=s.region.path, after={"status": s.status}
    )
    notify_units(
        units=[s.region],
        title=_("%(title)s：第%(n)s版上报已审核通过") % {"title": s.target.title, "n": s.number},
        link=f"/summary/sendup/{s.pk}/",
        email=False,
    )
    return s


def diff(before: SendUp | None, after: SendUp) -> dict[str, list[dict[str, str]]]:
    """What changed from one version to the next: table rows, units' statuses and the files sent (by
    their content: the same photo sent again is no change)."""
    if before is None:
        return {"rows": [], "units": [], "media": []}
    labels = {m["target_code"]: m["target_label"] for m in after.mapping if m["target_code"]}
    rows = [
        {
            "code": code,
            "label": labels.get(code, code),
            "before": before.table.get(code, ""),
            "after": after.table.get(code, ""),
        }
        for code in dict.fromkeys([*before.table, *after.table])
        if before.table.get(code) != after.table.get(code)
    ]
    old = {(u["id"], bool(u.get("region"))): u for u in before.units}
    units = [
        {
            "name": u["name"],
            "before": old[(u["id"], bool(u.get("region")))]["label"]
            if (u["id"], bool(u.get("region"))) in old
            else "—",
            "after": u["label"],
        }
        for u in after.units
        if (u["id"], bool(u.get("region"))) not in old
        or old[(u["id"], bool(u.get("region")))]["status"] != u["status"]
    ]

    def files(s: SendUp) -> dict[str, dict[str, Any]]:
        return {m.get("sha256") or m.get("link") or str(m.get("id")): m for m in s.media}

    old_files, new_files = files(before), files(after)
    media = [
        {"name": f"{m['unit']} · {m['title']}", "before": "—", "after": _("新增")}
        for k, m in new_files.items()
        if k not in old_files
    ] + [
        {"name": f"{m['unit']} · {m['title']}", "before": _("原有"), "after": _("已去掉")}
        for k, m in old_files.items()
        if k not in new_files
    ]
    return {"rows": rows, "units": units, "media": media}


def previous(s: SendUp) -> SendUp | None:
    return (
        SendUp.objects.filter(target=s.target_id, region=s.region_id, number__lt=s.number)
        .order_by("-number")
        .first()
    )


def versions_by_region(target: Campaign) -> dict[int, list[SendUp]]:
    """Every version each region sent to ``target``, newest first (only what a list shows)."""
    out: dict[int, list[SendUp]] = {}
    for s in (
        SendUp.objects.filter(target=target)
        .only("id", "region_id", "number", "status", "sent_at", "target_id", "source_id")
        .order_by("region_id", "-number")
    ):
        out.setdefault(s.region_id, []).append(s)
    return out


def review_queue(target: Campaign) -> list[dict[str, Any]]:
    """Every region below the target's with its latest send-up (or none) and every earlier version,
    outdated flagged: one query for the regions, one for the latest send-ups, one for the versions, one
    for the reports' versions."""
    regions = child_regions(target)
    latest = latest_by_region(target)
    versions = versions_by_region(target)
    stale = outdated_ids(list(latest.values()))
    spec = selectors.form_spec(target)
    head = [r for r in spec.rows if r.code in HEADLINE] if spec else []
    return [
        {
            "region": r,
            "sendup": latest.get(r.pk),
            "versions": versions.get(r.pk, []),
            "outdated": latest.get(r.pk) is not None and latest[r.pk].pk in stale,
            "figures": [(row.label, latest[r.pk].table.get(row.code, "—"), row.unit) for row in head]
            if r.pk in latest
            else [],
        }
        for r in regions
    ]
