"""/api/v1/publicity: a unit's publicity content, its review and boards (media reports and the notice:
api/media.py). Same checks as the pages:
a unit sees only its own drafts, the bureau sees content once sent; staff phones masked unless the
caller is the unit itself or reviews it."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Campaign
from sciweek.core.jobs import job_start
from sciweek.core.masking import mask_phone
from sciweek.materials.access import access_own_unit, access_submission
from sciweek.materials.boards.build import JOB_KIND, board_filename, board_pdf
from sciweek.materials.boards.sizes import SIZES, TEMPLATES
from sciweek.materials.models import PublicitySubmission
from sciweek.materials.publicity.images import image_warnings
from sciweek.materials.services import publicity_approve, publicity_return, publicity_save, publicity_submit
from sciweek.orgs.access import reporting_units
from sciweek.orgs.models import OrgUnit
from sciweek.reports.services.access import can_review

from .common import ERRORS, WRITE_ERRORS, InSchema, local

router = Router(tags=["publicity"])


class ImageOut(Schema):
    id: int
    caption: str
    width: int
    height: int
    warning: str


class PublicityStaffOut(Schema):
    name: str
    mobile: str


class PublicityOut(Schema):
    id: int | None
    campaign_id: int
    unit_id: int
    status: str
    headline: str
    body: str
    board_size: str
    layout: str
    return_reason: str
    version: int
    submitted_at: dt.datetime | None
    images: list[ImageOut]
    staff: list[PublicityStaffOut]


class PublicityIn(InSchema):
    version: int | None = None
    headline: str = Field(..., max_length=100)
    body: str = Field(..., max_length=5000)
    board_size: str | None = None
    layout: str | None = None
    captions: dict[int, str] = {}


class PublicityVersionIn(InSchema):
    version: int


class PublicityReviewIn(InSchema):
    version: int
    action: str = Field("", max_length=10)  # approve | return (checked after access: 404 before 400)
    reason: str = Field("", max_length=1000)
    layout: str | None = None


class BoardsIn(InSchema):
    size: str
    layout: str = ""
    crop_marks: bool = False


class JobOut(Schema):
    job_id: int
    status: str
    url: str


def _out(sub: PublicitySubmission | None, campaign: Campaign, unit: OrgUnit, user) -> PublicityOut:
    sees_phones = unit in reporting_units(user) or can_review(user, campaign)
    staff = [
        PublicityStaffOut(name=s.name, mobile=s.mobile if sees_phones else mask_phone(s.mobile))
        for s in unit.staff.all()
    ]
    if sub is None:
        return PublicityOut(
            id=None,
            campaign_id=campaign.pk,
            unit_id=unit.pk,
            status="none",
            headline="",
            body="",
            board_size="rollup",
            layout="classic",
            return_reason="",
            version=0,
            submitted_at=None,
            images=[],
            staff=staff,
        )
    images = list(sub.images.all())
    warn = image_warnings(sub, images)
    return PublicityOut(
        id=sub.pk,
        campaign_id=campaign.pk,
        unit_id=unit.pk,
        status=sub.status,
        headline=sub.headline,
        body=sub.body,
        board_size=sub.board_size,
        layout=sub.layout,
        return_reason=sub.return_reason,
        version=sub.version,
        submitted_at=local(sub.submitted_at),
        images=[
            ImageOut(id=i.pk, caption=i.caption, width=i.width, height=i.height, warning=warn.get(i.pk, ""))
            for i in images
        ],
        staff=staff,
    )


@router.get("/publicity/{int:campaign_id}/units/{int:unit_id}", response={200: PublicityOut, **ERRORS})
def get_publicity(request, campaign_id: int, unit_id: int):
    """The unit's own content (drafts included) for the unit; the bureau reads it through /items/{id}."""
    unit = access_own_unit(request.auth, unit_id)
    campaign = access_campaign(request.auth, campaign_id)
    sub = PublicitySubmission.objects.filter(campaign=campaign, unit=unit).first()
    return _out(sub, campaign, unit, request.auth)


@router.put("/publicity/{int:campaign_id}/units/{int:unit_id}", response={200: PublicityOut, **WRITE_ERRORS})
def put_publicity(request, campaign_id: int, unit_id: int, payload: PublicityIn):
    unit = access_own_unit(request.auth, unit_id)
    campaign = access_campaign(request.auth, campaign_id)
    sub = publicity_save(
        actor=request.auth,
        campaign=campaign,
        unit=unit,
        version=payload.version,
        headline=payload.headline,
        body=payload.body,
        submit=False,
        board_size=payload.board_size,
        layout=payload.layout,
        captions=payload.captions,
    )
    return _out(sub, campaign, unit, request.auth)


@router.post(
    "/publicity/{int:campaign_id}/units/{int:unit_id}/submit", response={200: PublicityOut, **WRITE_ERRORS}
)
def submit_publicity(request, campaign_id: int, unit_id: int, payload: PublicityVersionIn):
    unit = access_own_unit(request.auth, unit_id)
    campaign = access_campaign(request.auth, campaign_id)
    sub = PublicitySubmission.objects.filter(campaign=campaign, unit=unit).first()
    if sub is None:
        raise Http404(_("尚未填写宣传内容"))
    sub = publicity_submit(actor=request.auth, submission=sub, version=payload.version)
    return _out(sub, campaign, unit, request.auth)


@router.get("/publicity/items/{int:submission_id}", response={200: PublicityOut, **ERRORS})
def get_item(request, submission_id: int):
    sub = access_submission(request.auth, submission_id)
    return _out(sub, sub.campaign, sub.unit, request.auth)


@router.post("/publicity/items/{int:submission_id}/review", response={200: PublicityOut, **WRITE_ERRORS})
def review_item(request, submission_id: int, payload: PublicityReviewIn):
    sub = access_submission(request.auth, submission_id)
    if not can_review(request.auth, sub.campaign):
        raise PermissionDenied(_("只有组织单位的审核人员可以审核"))
    if payload.action not in ("approve", "return"):
        raise ValidationError({"action": _("应为 approve（通过）或 return（退回）。")})
    if payload.action == "approve":
        sub = publicity_approve(
            actor=request.auth, submission=sub, version=payload.version, layout=payload.layout
        )
    else:
        sub = publicity_return(
            actor=request.auth, submission=sub, version=payload.version, reason=payload.reason
        )
    return _out(sub, sub.campaign, sub.unit, request.auth)


@router.get("/publicity/items/{int:submission_id}/board.pdf", response={200: None, **ERRORS})
def item_board(request, submission_id: int, size: str = "", layout: str = "", marks: bool = False):
    sub = access_submission(request.auth, submission_id)
    if sub.status != PublicitySubmission.Status.APPROVED:
        raise PermissionDenied(_("审核通过后才能生成印刷文件"))
    size = size if size in SIZES else sub.board_size
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 — FileResponse closes it
    board_pdf(
        submission=sub,
        out=spool,
        size=size,
        template=layout if layout in TEMPLATES else None,
        crop_marks=marks,
    )
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=board_filename(sub, size), content_type="application/pdf"
    )


@router.post("/publicity/{int:campaign_id}/boards", response={200: JobOut, **ERRORS})
def boards(request, campaign_id: int, payload: BoardsIn):
    """All approved units' boards as a ZIP, built as a job: poll /jobs/{id}/, download when done."""
    campaign = access_campaign(request.auth, campaign_id, bureau=True)
    if not can_review(request.auth, campaign):
        raise PermissionDenied(_("只有组织单位的审核人员可以生成展板"))
    if payload.size not in SIZES:
        raise ValidationError({"size": _("尺寸应为：%(sizes)s。") % {"sizes": _("、").join(SIZES)}})
    job = job_start(
        kind=JOB_KIND,
        owner=request.auth,
        params={
            "campaign_id": campaign.pk,
            "size": payload.size,
            "template": payload.layout if payload.layout in TEMPLATES else "",
            "crop_marks": payload.crop_marks,
        },
    )
    job.refresh_from_db()
    return JobOut(job_id=job.pk, status=job.status, url=f"/jobs/{job.pk}/")
