"""Notice import by script: upload a notice (file or text) for a region, read the fields the parser
found (with its warnings and the region's campaigns of that year), then create the campaign — or, when
the region already has one that year, update it or create a separate one (``identity``, as on the review
page). Fields may be overridden; everything else is taken as the review page pre-fills it (units matched,
suggested resolutions), then checked by the same review and services: all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sciweek.campaigns.models import NoticeImport
from sciweek.notices.importing import update
from sciweek.notices.importing.identity import campaign_diff, existing_campaigns
from sciweek.notices.importing.review import Review
from sciweek.notices.importing.services import notice_import_apply, notice_import_start
from sciweek.notices.importing.views import access_import
from sciweek.orgs.access import can_manage_unit
from sciweek.orgs.models import OrgUnit

from .common import ERRORS, WRITE_ERRORS, InSchema

router = Router(tags=["notices"])
OVERRIDABLE = (
    "title",
    "theme",
    "start_date",
    "end_date",
    "doc_number",
    "issue_date",
    "issuer_text",
    "contact_person",
    "contact_phone",
    "contact_email",
)


class SameYearOut(Schema):
    campaign_id: int
    title: str
    status: str
    identity: str = Field(..., description="apply 时传入此值即更新该活动周")
    diff: list[list[str]] = Field(..., description="[项目, 现在, 更新后]")
    update: dict[str, Any] | None = Field(
        None, description="按识别结果更新时的全部变化（字段、主要活动、截止时间、统计表的行）"
    )
    confirm: str = Field("", description="确认码：apply 时与 identity 一起传入，表示已核对 update 所列变化")


class NoticeImportOut(Schema):
    token: str
    status: str
    region_id: int
    campaign_id: int | None
    fields: dict[str, Any]
    draft: dict
    same_year: list[SameYearOut]


def _fields(review: Review) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, dt.date | dt.time) else v
        for k, v in review.initial.main.items()
        if k in OVERRIDABLE or k == "year"
    }


def _update_preview(imp: NoticeImport, review: Review, campaign: Any) -> tuple[dict[str, Any] | None, str]:
    """What applying the notice as read would change in ``campaign``, and its confirmation code."""
    posted = Review.for_import(imp, _as_posted(review))
    if not posted.is_valid():
        return None, ""
    plan = posted.plan()
    themes = [t for t, _body in plan.themes]
    shown = update.preview(campaign, plan, campaign_diff(campaign, plan.fields, themes, plan.issuers))
    return shown.shown(), shown.digest()


def _out(imp: NoticeImport) -> dict[str, Any]:
    review = Review.for_import(imp)
    fields = dict(review.initial.main)
    year = fields.get("year") or getattr(fields.get("start_date"), "year", None)
    same = existing_campaigns(imp.region, int(year) if year else None) if imp.status == "draft" else []
    previews = {c.pk: _update_preview(imp, review, c) for c in same}
    return {
        "token": imp.token,
        "status": imp.status,
        "region_id": imp.region_id,
        "campaign_id": imp.campaign_id,
        "fields": _fields(review),
        "draft": imp.draft,
        "same_year": [
            {
                "campaign_id": c.pk,
                "title": c.title,
                "status": c.status,
                "identity": f"update:{c.pk}",
                "diff": [list(row) for row in campaign_diff(c, fields)],
                "update": previews[c.pk][0],
                "confirm": previews[c.pk][1],
            }
            for c in same
        ],
    }


@router.post("/imports", response={201: NoticeImportOut, **ERRORS})
def notice_upload(
    request,
    region_id: int = Form(...),
    text: str = Form(""),
    close_of_business: str = Form("17:30"),  # noqa: B008
    file: UploadedFile | None = File(None),  # noqa: B008
):
    region = OrgUnit.objects.filter(pk=region_id).first()
    if region is None or not region.is_area or not can_manage_unit(request.user, region):
        raise PermissionDenied(_("只有该地区的组织单位（主办）可以导入通知"))
    try:
        cob = dt.time.fromisoformat(close_of_business)
    except ValueError:
        raise ValidationError({"close_of_business": [_("下班时间格式应为 17:30")]})
    if file is None and not text.strip():
        raise ValidationError({"file": [_("请上传通知文件，或提供通知全文 text")]})
    imp = notice_import_start(
        actor=request.user,
        region=region,
        upload=file,
        text=text if file is None else "",
        close_of_business=cob,
    )
    return Status(201, _out(imp))


@router.get("/imports/{token}", response={200: NoticeImportOut, **ERRORS})
def notice_get(request, token: str):
    return _out(access_import(request.user, token[:64]))


def _as_posted(review: Review) -> QueryDict:
    """The review page's forms as the browser would post them untouched."""
    q = QueryDict(mutable=True)
    forms: list[Any] = [review.main]
    for fs in (review.themes, review.activities, review.deadlines, review.rows, review.unmatched):
        forms += [fs.management_form, *fs.forms]
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            key = bound.html_name
            if isinstance(value, list | tuple):
                q.setlist(key, [str(v) for v in value])
            elif isinstance(value, bool):
                if value:
                    q[key] = "on"
            elif value is not None:
                q[key] = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
    return q


class ApplyIn(InSchema):
    identity: str = Field("", max_length=40, description="已有同年活动周时：update:<编号> 或 separate")
    confirm: str = Field(
        "", max_length=32, description="更新时：查询导入所得的确认码（内容有变化时须重新查询核对）"
    )
    fields: dict[str, str] = Field(
        default_factory=dict, description=f"覆盖识别结果：{'、'.join(OVERRIDABLE)}"
    )


class ApplyOut(Schema):
    campaign_id: int
    title: str
    status: str


@router.post("/imports/{token}/apply", response={200: ApplyOut, **WRITE_ERRORS})
def notice_apply(request, token: str, payload: ApplyIn):
    imp = access_import(request.user, token[:64])
    unknown = set(payload.fields) - set(OVERRIDABLE)
    if unknown:
        raise ValidationError(
            {"fields": [(_("不能覆盖的字段：%(unknown)s") % {"unknown": "、".join(sorted(unknown))})]}
        )
    data = _as_posted(Review.for_import(imp))
    for k, v in payload.fields.items():
        data[k] = v
    review = Review.for_import(imp, data)
    if not review.is_valid():
        raise ValidationError(
            {"__all__": review.errors or [_("识别结果有误，请在页面上审核")]}
            | {k: list(v) for k, v in review.main.errors.items()}
        )
    campaign = notice_import_apply(
        actor=request.user,
        notice_import=imp,
        plan=review.plan(),
        identity=payload.identity,
        confirm=payload.confirm,
    )
    return {"campaign_id": campaign.pk, "title": campaign.title, "status": campaign.status}
