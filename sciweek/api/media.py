"""/api/v1/media: outlets and media reports (units and media units enter, the bureau confirms), and
/api/v1/campaigns/{id}/notice: a campaign's notice as a document. Same checks as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Campaign
from sciweek.materials.access import access_media_report
from sciweek.materials.media.services import (
    media_report_confirm,
    media_report_delete,
    media_report_save,
    outlet_save,
)
from sciweek.materials.models import MediaOutlet, MediaReport
from sciweek.notices.document import parse_notice_text
from sciweek.orgs.access import reporting_units
from sciweek.orgs.models import OrgUnit
from sciweek.reports.services.access import can_review

from .common import ERRORS, WRITE_ERRORS, InSchema, units_within

router = Router(tags=["media"])


class OutletOut(Schema):
    id: int
    name: str
    kind: str


class OutletIn(InSchema):
    name: str = Field(..., max_length=100)
    kind: str


class MediaReportOut(Schema):
    id: int
    outlet: OutletOut
    title: str
    published_on: dt.date
    url: str
    kind: str
    unit_id: int
    entered_by_unit_id: int
    event_id: int | None
    activity_id: int | None
    reach: int | None
    status: str
    reject_reason: str
    has_file: bool
    duration_seconds: float | None
    version: int


class MediaReportIn(InSchema):
    outlet_id: int
    title: str = Field(..., max_length=200)
    published_on: dt.date
    url: str = Field("", max_length=500)
    kind: str = "news"
    unit_id: int | None = None
    entering_unit_id: int | None = None
    event_id: int | None = Field(None, ge=1)
    activity_id: int | None = None
    reach: int | None = Field(None, ge=0)
    version: int | None = None


class ConfirmIn(InSchema):
    version: int
    confirm: bool = True
    reason: str = Field("", max_length=200)


def _report_out(r: MediaReport) -> MediaReportOut:
    return MediaReportOut(
        id=r.pk,
        outlet=OutletOut(id=r.outlet.pk, name=r.outlet.name, kind=r.outlet.kind),
        title=r.title,
        published_on=r.published_on,
        url=r.url,
        kind=r.kind,
        unit_id=r.unit_id,
        entered_by_unit_id=r.entered_by_unit_id,
        event_id=r.event_id,
        activity_id=r.activity_id,
        reach=r.reach,
        status=r.status,
        reject_reason=r.reject_reason,
        has_file=bool(r.file),
        duration_seconds=r.duration_seconds,
        version=r.version,
    )


@router.get("/media/{int:campaign_id}/outlets", response={200: list[OutletOut], **ERRORS})
def outlets(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    return [
        OutletOut(id=o.pk, name=o.name, kind=o.kind)
        for o in MediaOutlet.objects.filter(region=campaign.org_unit)
    ]


@router.post("/media/{int:campaign_id}/outlets", response={200: OutletOut, **WRITE_ERRORS})
def add_outlet(request, campaign_id: int, payload: OutletIn):
    campaign = access_campaign(request.auth, campaign_id)
    mine = [u for u in reporting_units(request.auth) if u.path.startswith(campaign.org_unit.path)]
    if not mine and not can_review(request.auth, campaign):
        raise PermissionDenied(_("只有参与单位或组织单位可以登记媒体"))
    o = outlet_save(actor=request.auth, region=campaign.org_unit, name=payload.name, kind=payload.kind)
    return OutletOut(id=o.pk, name=o.name, kind=o.kind)


@router.get("/media/{int:campaign_id}/reports", response={200: list[MediaReportOut], **ERRORS})
def reports(request, campaign_id: int):
    """The bureau: every report; a unit: those it entered."""
    campaign = access_campaign(request.auth, campaign_id)
    qs = MediaReport.objects.filter(campaign=campaign).select_related("outlet")
    if not can_review(request.auth, campaign):
        qs = qs.filter(entered_by_unit__in=reporting_units(request.auth))
    return [_report_out(r) for r in qs]


def _entering(request, campaign: Campaign, wanted: int | None) -> OrgUnit:
    mine = [u for u in reporting_units(request.auth) if u.path.startswith(campaign.org_unit.path)]
    for u in mine:
        if wanted in (None, u.pk):
            return u
    raise PermissionDenied(_("只有参与单位可以登记媒体报道"))


def _fields(request, campaign: Campaign, payload: MediaReportIn, me: OrgUnit) -> dict:
    outlet = MediaOutlet.objects.filter(pk=payload.outlet_id, region=campaign.org_unit).first()
    if outlet is None:
        raise ValidationError({"outlet_id": _("媒体不存在，请先登记媒体。")})
    unit = me
    if payload.unit_id and payload.unit_id != me.pk:
        if me.kind != "media":
            raise PermissionDenied(_("只有媒体单位可以登记其他单位的报道"))
        unit = units_within([payload.unit_id], region=campaign.org_unit, field="unit_id")[0]
    activity = campaign.activities.filter(pk=payload.activity_id).first() if payload.activity_id else None
    return dict(
        campaign=campaign,
        entered_by_unit=me,
        unit=unit,
        outlet=outlet,
        title=payload.title,
        published_on=payload.published_on,
        url=payload.url,
        kind=payload.kind,
        event_id=payload.event_id,
        activity=activity,
        reach=payload.reach,
    )


@router.post("/media/{int:campaign_id}/reports", response={200: MediaReportOut, **WRITE_ERRORS})
def add_report(request, campaign_id: int, payload: MediaReportIn):
    campaign = access_campaign(request.auth, campaign_id)
    me = _entering(request, campaign, payload.entering_unit_id)
    return _report_out(media_report_save(actor=request.auth, **_fields(request, campaign, payload, me)))


@router.put("/media/reports/{int:media_report_id}", response={200: MediaReportOut, **WRITE_ERRORS})
def put_report(request, media_report_id: int, payload: MediaReportIn):
    report = access_media_report(request.auth, media_report_id, edit=True)
    fields = _fields(request, report.campaign, payload, report.entered_by_unit)
    return _report_out(
        media_report_save(actor=request.auth, report=report, version=payload.version, **fields)
    )


@router.delete("/media/reports/{int:media_report_id}", response={204: None, **WRITE_ERRORS})
def delete_report(request, media_report_id: int, version: int | None = None):
    report = access_media_report(request.auth, media_report_id, edit=True)
    media_report_delete(actor=request.auth, report=report, version=version)
    return 204, None


@router.post("/media/reports/{int:media_report_id}/confirm", response={200: MediaReportOut, **WRITE_ERRORS})
def confirm_report(request, media_report_id: int, payload: ConfirmIn):
    report = access_media_report(request.auth, media_report_id)
    if not can_review(request.auth, report.campaign):
        raise PermissionDenied(_("只有组织单位的审核人员可以确认媒体报道"))
    return _report_out(
        media_report_confirm(
            actor=request.auth,
            report=report,
            version=payload.version,
            confirm=payload.confirm,
            reason=payload.reason,
        )
    )


class NoticeBlockOut(Schema):
    kind: str
    number: str
    text: str


class NoticeOut(Schema):
    campaign_id: int
    title: str
    doc_number: str
    text: str
    blocks: list[NoticeBlockOut]
    attachment_title: str
    original_url: str | None
    table_xlsx_url: str
    table_docx_url: str


@router.get("/campaigns/{int:campaign_id}/notice", response={200: NoticeOut, **ERRORS})
def notice(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    doc = parse_notice_text(campaign.notice_text)
    base = f"/c/{campaign.pk}/notice/"
    return NoticeOut(
        campaign_id=campaign.pk,
        title=campaign.title,
        doc_number=campaign.doc_number,
        text=campaign.notice_text,
        blocks=[NoticeBlockOut(kind=b.kind, number=b.number, text=b.text) for b in doc.blocks],
        attachment_title=doc.attachment_title,
        original_url=f"{base}original/" if campaign.notice_file else None,
        table_xlsx_url=f"{base}table.xlsx",
        table_docx_url=f"{base}table.docx",
    )
