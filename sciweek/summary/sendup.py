"""Sending a county's (or a city's) approved result up to the campaign one level above, and that
level's review: return with a reason, or approve. Each send is a new immutable ``SendUp`` (see models).

The snapshot holds the rolled-up table mapped onto the target's form, the mapping when the forms
differ, the summary document, the chosen photos and videos (copied, see snapshot_files), the units
with their status, and every approved report's version. A report reopened (or newly approved) after
the send changes those versions: the snapshot is then shown as outdated on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404

from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log
from sciweek.core.clock import now
from sciweek.core.notify import notify_units
from sciweek.orgs.access import can_manage_unit, is_bureau_member
from sciweek.orgs.models import AREA_KINDS, OrgUnit
from sciweek.reports import selectors
from sciweek.reports.models import Report, ReportAttachment
from sciweek.reports.rollup import rollup

from . import snapshot_files
from .mapping import map_rows, mapped_table
from .models import SendUp
from .render import render_docx
from .services import summary_get_or_generate

S = Report.Status
MAX_MEDIA = 50
#: the figures the review queue shows beside each region
HEADLINE = ("events_held", "public_offline", "public_online", "fund_fiscal")


def target_of(source: Campaign) -> Campaign | None:
    """The campaign of the same year run by the nearest region above the source's region."""
    path = source.org_unit.path
    above = [path[:i] for i in range(OrgUnit.steplen, len(path), OrgUnit.steplen)]
    return (
        Campaign.objects.filter(year=source.year, org_unit__path__in=above)
        .select_related("org_unit")
        .order_by("-org_unit__depth")
        .first()
    )


def child_regions(target: Campaign) -> list[OrgUnit]:
    """The regions one level below the target's region: the counties of a city campaign."""
    return list(
        OrgUnit.objects.filter(
            path__startswith=target.org_unit.path,
            depth=target.org_unit.depth + 1,
            kind__in=AREA_KINDS,
            is_active=True,
        )
        .only("id", "name", "code", "path", "depth", "kind", "is_sample")
        .order_by("path")
    )


def source_campaign(target: Campaign, region: OrgUnit) -> Campaign | None:
    return Campaign.objects.filter(year=target.year, org_unit=region).first()


def _units(source: Campaign) -> list[dict[str, Any]]:
    reports = {
        r.unit_id: r for r in Report.objects.filter(campaign=source).only("unit_id", "status", "is_late")
    }
    labels = dict(S.choices)
    out = []
    for u in source.participating_units().filter(path__startswith=source.org_unit.path).only("id", "name"):
        r = reports.get(u.pk)
        out.append(
            {
                "id": u.pk,
                "name": u.name,
                "status": r.status if r else "missing",
                "label": labels.get(r.status, "") if r else "未报送",
                "late": bool(r and r.is_late),
            }
        )
    # lower regions' own send-ups (a city sending to the province lists its counties)
    regions = OrgUnit.objects.filter(
        path__startswith=source.org_unit.path, depth=source.org_unit.depth + 1, kind__in=AREA_KINDS
    )
    latest = latest_by_region(source, [r.pk for r in regions])
    for region in regions:
        s = latest.get(region.pk)
        out.append(
            {
                "id": region.pk,
                "name": region.name,
                "region": True,
                "status": s.status if s else "missing",
                "label": s.get_status_display() if s else "未上报",
                "late": False,
            }
        )
    return out


def approved_versions(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for cid, rid, version in Report.objects.filter(
        campaign_id__in=campaign_ids, status=S.APPROVED
    ).values_list("campaign_id", "id", "version"):
        out[cid][str(rid)] = version
    return out


def latest_by_region(target: Campaign, region_ids: list[int] | None = None) -> dict[int, SendUp]:
    qs = SendUp.objects.filter(target=target)
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    out: dict[int, SendUp] = {}
    for s in qs.defer("mapping", "units", "media").order_by("region_id", "-number"):
        out.setdefault(s.region_id, s)
    return out


def outdated_ids(sendups: list[SendUp]) -> set[int]:
    """Snapshots whose approved reports are no longer those sent (reopened, corrected, newly approved)."""
    current = approved_versions(list({s.source_id for s in sendups}))
    return {s.pk for s in sendups if s.report_versions != current.get(s.source_id, {})}


def access_send(user: Any, source: Campaign) -> Campaign:
    if not can_manage_unit(user, source.org_unit):
        if is_bureau_member(user, source.org_unit):
            raise PermissionDenied("只有组织单位（主办）可以向上级报送")
        raise Http404("活动周不存在")
    target = target_of(source)
    if target is None:
        raise ValidationError({"target": [f"上级没有{source.year}年的活动周，无法上报"]})
    return target


def access_sendup(user: Any, sendup_id: Any, *, review: bool = False) -> SendUp:
    """The county's organizers see their own send-ups; the target region's bureau sees and reviews all."""
    try:
        s = SendUp.objects.select_related("region", "target__org_unit", "source__org_unit").get(
            pk=int(sendup_id)
        )
    except (SendUp.DoesNotExist, TypeError, ValueError):
        raise Http404("上报不存在")
    upper = is_bureau_member(user, s.target.org_unit)
    if not (upper or is_bureau_member(user, s.region)):
        raise Http404("上报不存在")
    if review and not can_manage_unit(user, s.target.org_unit):
        raise PermissionDenied("只有上级组织单位可以审核上报")
    return s


def _media(source: Campaign, keys: list[int]) -> list[dict[str, Any]]:
    if len(keys) > MAX_MEDIA:
        raise ValidationError({"media": [f"最多选择{MAX_MEDIA}个照片或视频"]})
    found = ReportAttachment.objects.filter(
        pk__in=keys,
        report__campaign=source,
        kind__in=[ReportAttachment.Kind.PHOTO, ReportAttachment.Kind.VIDEO],
    ).select_related("report__unit")
    if len(found) != len(set(keys)):
        raise ValidationError({"media": ["所选照片或视频不属于本活动周"]})
    by_id = {a.pk: a for a in found}
    # in the order chosen; each file copied into the snapshot's own storage (snapshot_files)
    return [snapshot_files.entry(by_id[k], by_id[k].report.unit.name) for k in dict.fromkeys(keys)]


@transaction.atomic
def sendup_send(
    *, source: Campaign, actor: Any, media: list[int] | None = None, note: str = "", with_summary: bool = True
) -> SendUp:
    """The organizer of ``source``'s region sends its approved result up (404 / 403 for others)."""
    target = access_send(actor, source)
    return sendup_create(
        source=source, target=target, actor=actor, media=media, note=note, with_summary=with_summary
    )


@transaction.atomic
def sendup_create(
    *,
    source: Campaign,
    target: Campaign,
    actor: Any,
    media: list[int] | None = None,
    note: str = "",
    with_summary: bool = True,
    allow_pending: bool = False,
) -> SendUp:
    """The snapshot itself, once the caller has checked who sends (the demo sends as 演示数据).
    ``allow_pending`` (the demo only) sends while some units' reports still wait for review."""
    region = source.org_unit
    pending = Report.objects.filter(campaign=source, status__in=[S.SUBMITTED, S.HEAD_REVIEW]).count()
    if pending and not allow_pending:
        raise ValidationError({"reports": [f"还有{pending}个单位的统计表待审核，请审核后再上报"]})
    lower = (
        SendUp.objects.filter(target=source, status=SendUp.Status.SENT).values("region").distinct().count()
    )
    if lower:
        raise ValidationError({"reports": [f"还有{lower}个下级的上报待审核，请审核后再上报"]})
    versions = approved_versions([source.pk])[source.pk]
    if not versions and not SendUp.objects.filter(target=source, status=SendUp.Status.APPROVED).exists():
        raise ValidationError({"reports": ["还没有审核通过的统计表，无法上报"]})
    if len(note) > 2000:
        raise ValidationError({"note": ["报送说明不超过2000字"]})
    source_spec, target_spec = selectors.form_spec(source), selectors.form_spec(target)
    if source_spec is None or target_spec is None:
        raise ValidationError({"form": ["本级或上级活动周尚未设置统计表"]})
    # one send at a time per region and target: the lock orders concurrent sends
    OrgUnit.objects.select_for_update().filter(pk=region.pk).first()
    mapping = map_rows(source_spec, target_spec)
    totals = rollup(year=source.year, root=region, approved_only=True, depth=0).get(region.code) or {}
    number = (SendUp.objects.filter(target=target, region=region).aggregate(n=Max("number"))["n"] or 0) + 1
    s = SendUp(
        source=source,
        target=target,
        region=region,
        number=number,
        table=mapped_table(mapping, totals),
        mapping=mapping,
        units=_units(source),
        report_versions=versions,
        media=_media(source, media or []),
        note=note.strip(),
        sent_at=now(),
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if with_summary:
        draft = summary_get_or_generate(campaign=source, node=region, actor=actor)
        s.summary_file.save(
            f"{region.code}-{source.year}-v{number}.docx", ContentFile(render_docx(draft)), save=False
        )
    s.save()
    SendUp.objects.filter(target=target, region=region, status=SendUp.Status.SENT).exclude(pk=s.pk).update(
        status=SendUp.Status.SUPERSEDED
    )
    audit_log(
        actor=actor,
        action="sendup.send",
        obj=s,
        unit_path=region.path,
        after={"number": number, "target": target.pk, "rows": len(s.table)},
    )
    notify_units(
        units=[target.org_unit],
        title=f"{region.name}已上报{source.year}年科技活动周结果（第{number}版）",
        link=f"/summary/sendup/{s.pk}/",
        email=False,
    )
    return s


def _review(s: SendUp, actor: Any, version: int | None) -> SendUp:
    locked = SendUp.objects.select_for_update().get(pk=s.pk)
    if version is not None and locked.review_version != version:
        raise ValidationError("这份上报已被他人处理，请刷新", code="stale")
    if locked.status != SendUp.Status.SENT:
        raise ValidationError({"status": [f"这份上报{locked.get_status_display()}，不能再审核"]})
    return locked


@transaction.atomic
def sendup_return(*, sendup: SendUp, actor: Any, reason: str, version: int | None = None) -> SendUp:
    s = _review(sendup, actor, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写退回原因"]})
    if len(reason) > 1000:
        raise ValidationError({"reason": ["退回原因不超过1000字"]})
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
        title=f"{s.target.title}：第{s.number}版上报被退回",
        body=f"退回原因：{reason}",
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
        title=f"{s.target.title}：第{s.number}版上报已审核通过",
        link=f"/summary/sendup/{s.pk}/",
        email=False,
    )
    return s


def diff(before: SendUp | None, after: SendUp) -> dict[str, list[dict[str, str]]]:
    """What changed from one version to the next: table rows and units' statuses."""
    if before is None:
        return {"rows": [], "units": []}
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
    return {"rows": rows, "units": units}


def previous(s: SendUp) -> SendUp | None:
    return (
        SendUp.objects.filter(target=s.target_id, region=s.region_id, number__lt=s.number)
        .order_by("-number")
        .first()
    )


def review_queue(target: Campaign) -> list[dict[str, Any]]:
    """Every region below the target's with its latest send-up (or none), outdated flagged: one query
    for the regions, one for the send-ups, one for the reports' versions."""
    regions = child_regions(target)
    latest = latest_by_region(target)
    stale = outdated_ids(list(latest.values()))
    spec = selectors.form_spec(target)
    head = [r for r in spec.rows if r.code in HEADLINE] if spec else []
    return [
        {
            "region": r,
            "sendup": latest.get(r.pk),
            "outdated": latest.get(r.pk) is not None and latest[r.pk].pk in stale,
            "figures": [(row.label, latest[r.pk].table.get(row.code, "—"), row.unit) for row in head]
            if r.pk in latest
            else [],
        }
        for r in regions
    ]
