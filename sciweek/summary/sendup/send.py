"""Sending: who may send, the snapshot (table mapped onto the target's form, units, report versions,
photos and videos copied into the snapshot's own storage, the summary document), one version a send."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log
from sciweek.core.clock import now
from sciweek.core.notify import notify_units
from sciweek.orgs.access import can_manage_unit, is_bureau_member
from sciweek.orgs.models import OrgUnit
from sciweek.reports import selectors
from sciweek.reports.models import Report, ReportAttachment
from sciweek.reports.rollup import rollup

from .. import snapshot_files
from ..mapping import map_rows, mapped_table
from ..models import SendUp
from ..render import render_docx
from ..services import summary_get_or_generate
from .regions import approved_versions, target_of, units_of

S = Report.Status
MAX_MEDIA = 50


def access_send(user: Any, source: Campaign) -> Campaign:
    if not can_manage_unit(user, source.org_unit):
        if is_bureau_member(user, source.org_unit):
            raise PermissionDenied(_("只有组织单位（主办）可以向上级报送"))
        raise Http404(_("活动周不存在"))
    target = target_of(source)
    if target is None:
        raise ValidationError({"target": [_("上级没有%(year)s年的活动周，无法上报") % {"year": source.year}]})
    return target


def _media(source: Campaign, keys: list[int]) -> list[dict[str, Any]]:
    if len(keys) > MAX_MEDIA:
        raise ValidationError({"media": [_("最多选择%(n)s个照片或视频") % {"n": MAX_MEDIA}]})
    found = ReportAttachment.objects.filter(
        pk__in=keys,
        report__campaign=source,
        kind__in=[ReportAttachment.Kind.PHOTO, ReportAttachment.Kind.VIDEO],
    ).select_related("report__unit")
    if len(found) != len(set(keys)):
        raise ValidationError({"media": [_("所选照片或视频不属于本活动周")]})
    by_id = {a.pk: a for a in found}
    # in the order chosen; each file copied into the snapshot's own storage (snapshot_files)
    return [snapshot_files.entry(by_id[k], by_id[k].report.unit.name) for k in dict.fromkeys(keys)]


@transaction.atomic
def sendup_send(
    *,
    source: Campaign,
    actor: Any,
    media: list[int] | None = None,
    note: str = "",
    with_summary: bool = True,
    after: int | None = None,
) -> SendUp:
    """The organizer of ``source``'s region sends its approved result up (404 / 403 for others).

    ``after``: the newest version number the sender saw (0 for none); when a newer one exists by now (a
    double click, a second tab) nothing is sent and the sender is told which version went up."""
    target = access_send(actor, source)
    # 总结上报 and after (campaigns/lifecycle.py "sendup"): the week's figures are final once it ended;
    # a closed campaign still sends a corrected version when the level above returned one
    check_open(source, "sendup")
    return sendup_create(
        source=source,
        target=target,
        actor=actor,
        media=media,
        note=note,
        with_summary=with_summary,
        after=after,
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
    after: int | None = None,
) -> SendUp:
    """The snapshot itself, once the caller has checked who sends (the demo sends as 演示数据).
    ``allow_pending`` (the demo only) sends while some units' reports still wait for review."""
    region = source.org_unit
    pending = Report.objects.filter(campaign=source, status__in=[S.SUBMITTED, S.HEAD_REVIEW]).count()
    if pending and not allow_pending:
        raise ValidationError(
            {"reports": [_("还有%(n)s个单位的统计表待审核，请审核后再上报") % {"n": pending}]}
        )
    lower = (
        SendUp.objects.filter(target=source, status=SendUp.Status.SENT).values("region").distinct().count()
    )
    if lower:
        raise ValidationError({"reports": [_("还有%(n)s个下级的上报待审核，请审核后再上报") % {"n": lower}]})
    versions = approved_versions([source.pk])[source.pk]
    if not versions and not SendUp.objects.filter(target=source, status=SendUp.Status.APPROVED).exists():
        raise ValidationError({"reports": [_("还没有审核通过的统计表，无法上报")]})
    if len(note) > 2000:
        raise ValidationError({"note": [_("报送说明不超过2000字")]})
    source_spec, target_spec = selectors.form_spec(source), selectors.form_spec(target)
    if source_spec is None or target_spec is None:
        raise ValidationError({"form": [_("本级或上级活动周尚未设置统计表")]})
    # one send at a time per region and target: the lock orders concurrent sends
    OrgUnit.objects.select_for_update().filter(pk=region.pk).first()
    mapping = map_rows(source_spec, target_spec)
    totals = rollup(year=source.year, root=region, approved_only=True, depth=0).get(region.code) or {}
    last = SendUp.objects.filter(target=target, region=region).aggregate(n=Max("number"))["n"] or 0
    if after is not None and last > after:
        raise ValidationError(
            {
                "after": [
                    _("第%(n)s版刚刚已经上报，本次未重复报送；如需再报送新版本，请刷新页面后再操作。")
                    % {"n": last}
                ]
            }
        )
    number = last + 1
    s = SendUp(
        source=source,
        target=target,
        region=region,
        number=number,
        table=mapped_table(mapping, totals),
        mapping=mapping,
        units=units_of(source),
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
        title=_("%(region)s已上报%(year)s年科技活动周结果（第%(n)s版）")
        % {"region": region.name, "year": source.year, "n": number},
        link=f"/summary/sendup/{s.pk}/",
        email=False,
    )
    return s
