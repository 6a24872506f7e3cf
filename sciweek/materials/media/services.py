"""Outlets and media reports: entered by media units and units, confirmed by the bureau.

The same page entered twice is caught by its normalised URL (scheme and host in lower case, no
fragment, no share-tracking parameters), in the service for a clear message and by a unique
constraint for the race.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign, MainActivity
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.clock import now
from sciweek.core.errors import check_version
from sciweek.core.files import DOCUMENT_KINDS, VIDEO_KINDS, UploadRejected, check_video, save_upload_streamed
from sciweek.orgs.models import OrgUnit

from ..lifecycle import check_media_open
from ..models import MediaOutlet, MediaReport

TRACKING = {
    "from",
    "isappinstalled",
    "scene",
    "srcid",
    "sharer_sharetime",
    "sharer_shareid",
    "share_token",
    "spm",
    "clicktime",
    "enterid",
}
FILE_KINDS = frozenset({"jpeg", "png", "webp"}) | DOCUMENT_KINDS | VIDEO_KINDS
MAX_FILE_BYTES = 300 * 1024 * 1024
R = MediaReport.Status


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def normalise_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING and not k.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(sorted(query)), ""))


@transaction.atomic
def outlet_save(
    *, actor: Any, region: OrgUnit, name: str, kind: str, unit: OrgUnit | None = None
) -> MediaOutlet:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写媒体名称。")
    if kind not in MediaOutlet.Kind.values:
        errors["kind"] = _("请选择媒体类型。")
    if errors:
        raise ValidationError(errors)
    outlet, created = MediaOutlet.objects.get_or_create(
        region=region, name=name, defaults={"kind": kind, "unit": unit}
    )
    if created:
        audit_log(actor=actor, action="media.outlet_add", obj=outlet, after=snapshot(outlet))
    return outlet


def _store_file(upload: Any, campaign: Campaign) -> tuple[str, str, float | None]:
    seen: dict[str, float] = {}

    def validate(path: str, kind: Any) -> None:
        if kind.kind in VIDEO_KINDS:
            seen["duration"] = check_video(
                path, max_seconds=campaign.max_video_minutes * 60, field_label=_("报道视频")
            )

    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=f"media_reports/{campaign.pk}",
            max_bytes=MAX_FILE_BYTES,
            allowed_kinds=FILE_KINDS,
            field_label=_("截图或文件"),
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({"file": exc.message})
    return stored.name, stored.original_name, seen.get("duration")


def media_report_save(
    *,
    actor: Any,
    campaign: Campaign,
    entered_by_unit: OrgUnit,
    unit: OrgUnit,
    outlet: MediaOutlet,
    title: str,
    published_on: dt.date | None,
    url: str = "",
    kind: str = MediaReport.Kind.NEWS,
    event_id: int | None = None,
    activity: MainActivity | None = None,
    reach: int | None = None,
    upload: Any = None,
    report: MediaReport | None = None,
    version: int | None = None,
) -> MediaReport:
    check_media_open(campaign)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写报道标题。")
    if published_on is None:
        errors["published_on"] = _("请填写发布日期。")
    if kind not in MediaReport.Kind.values:
        errors["kind"] = _("请选择报道形式。")
    if not url and upload is None and not (report and report.file):
        errors["url"] = _("请填写报道链接，或上传截图/文件。")
    if activity is not None and activity.campaign_id != campaign.pk:
        errors["activity"] = _("主要活动不属于本届活动周。")
    key = normalise_url(url)
    if key:
        dup = (
            MediaReport.objects.filter(campaign=campaign, url_key=key)
            .exclude(pk=getattr(report, "pk", None))
            .select_related("entered_by_unit")
            .first()
        )
        if dup:
            errors["url"] = _("这篇报道已由%(unit)s登记过（%(title)s），请勿重复登记。") % {
                "unit": dup.entered_by_unit.name,
                "title": dup.title,
            }
    if errors:
        raise ValidationError(errors)
    stored = _store_file(upload, campaign) if upload is not None else None
    try:
        with transaction.atomic():
            before = None
            if report is None:
                report = MediaReport(
                    campaign=campaign, entered_by_unit=entered_by_unit, entered_by=_user(actor)
                )
            else:
                report = MediaReport.objects.select_for_update().get(pk=report.pk)
                check_version(report, version, _("媒体报道"))
                if report.status == R.CONFIRMED:
                    raise ValidationError(
                        {"__all__": _("报道已确认，不能再修改；如需更正，请组织单位先撤销确认。")}
                    )
                before = snapshot(report)
                report.version += 1
            report.outlet, report.unit, report.title, report.published_on = outlet, unit, title, published_on
            report.url, report.url_key, report.kind = url.strip(), key, kind
            report.event_id, report.activity, report.reach = event_id, activity, reach
            report.status = R.PENDING
            if stored:
                report.file, report.file_name, report.duration_seconds = stored
            report.save()
            audit_log(
                actor=actor, action="media.report_save", obj=report, before=before, after=snapshot(report)
            )
    except IntegrityError:
        if stored:
            default_storage.delete(stored[0])
        raise ValidationError({"url": _("这篇报道已有人登记过，请勿重复登记。")})
    return report


@transaction.atomic
def media_report_confirm(
    *, actor: Any, report: MediaReport, version: int | None, confirm: bool = True, reason: str = ""
) -> MediaReport:
    report = MediaReport.objects.select_for_update().select_related("campaign").get(pk=report.pk)
    check_media_open(report.campaign)
    check_version(report, version, _("媒体报道"))
    if not confirm and not (reason or "").strip():
        raise ValidationError({"reason": _("不采纳时请写明原因。")})
    before = snapshot(report)
    report.status = R.CONFIRMED if confirm else R.REJECTED
    report.reject_reason = "" if confirm else reason.strip()[:200]
    report.confirmed_by, report.confirmed_at = _user(actor), now()
    report.version += 1
    report.save()
    audit_log(
        actor=actor,
        action="media.report_confirm" if confirm else "media.report_reject",
        obj=report,
        before=before,
        after=snapshot(report),
    )
    return report


@transaction.atomic
def media_report_delete(*, actor: Any, report: MediaReport, version: int | None) -> None:
    """Only while unconfirmed: a confirmed report counts in the statistics table; the bureau withdraws
    the confirmation first (``media_report_withdraw``, with a reason)."""
    report = MediaReport.objects.select_for_update().select_related("campaign").get(pk=report.pk)
    check_media_open(report.campaign)
    check_version(report, version, _("媒体报道"))
    if report.status == R.CONFIRMED:
        raise ValidationError({"__all__": _("报道已确认，不能删除；如需删除，请组织单位先撤销确认。")})
    audit_log(actor=actor, action="media.report_delete", obj=report, before=snapshot(report))
    name = report.file.name
    report.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def media_report_withdraw(
    *, actor: Any, report: MediaReport, version: int | None, reason: str
) -> MediaReport:
    """The bureau takes back a confirmation (a wrong unit, a page taken down): the report is pending
    again, so the unit can correct or delete it, and leaves the statistics table's figures. The reason
    is kept on the report for the unit to read and in the audit log."""
    report = MediaReport.objects.select_for_update().select_related("campaign").get(pk=report.pk)
    check_media_open(report.campaign)
    check_version(report, version, _("媒体报道"))
    if report.status != R.CONFIRMED:
        raise ValidationError({"__all__": _("只有已确认的报道可以撤销确认。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("撤销确认时请写明原因，登记单位会看到。")})
    before = snapshot(report)
    report.status = R.PENDING
    report.reject_reason = reason[:200]
    report.confirmed_by, report.confirmed_at = None, None
    report.version += 1
    report.save()
    audit_log(actor=actor, action="media.report_withdraw", obj=report, before=before, after=snapshot(report))
    return report
