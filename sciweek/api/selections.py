"""最美科技工作者 selections: the public voting endpoints (no token: voting pages elsewhere and mini
programs call them) and the bureau's and nominating units' endpoints (token or session).

Public: GET /selections/, GET /selections/{id}/candidates, POST /selections/{id}/vote-codes (202; 429
when limited), POST /selections/{id}/votes (201; 400 wrong or expired code; 409 over the voting rule
or outside the window; 429 limited), GET /selections/{id}/tally.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sciweek.campaigns.models import Campaign
from sciweek.core.masking import mask_phone
from sciweek.core.middleware import client_ip
from sciweek.selections.access import (
    access_nomination,
    access_selection,
    can_run,
    nominating_units,
    sees_mobiles,
)
from sciweek.selections.anomalies import anomaly_report
from sciweek.selections.captcha import captcha_new
from sciweek.selections.models import Nomination, Selection
from sciweek.selections.services.nominations import nomination_review, nomination_save
from sciweek.selections.services.voting import (
    VoteLimited,
    VoteRefused,
    tally,
    vote_code_request,
    vote_open,
    votes_void,
)

from .common import ErrorOut, InSchema
from .vote_lane import VoteIn, cast_vote

router = Router(tags=["selections"])


class SelectionOut(Schema):
    id: int
    campaign_id: int
    title: str
    stage: str
    vote_open: bool


class VoteCandidateOut(Schema):
    id: int
    name: str
    unit_name: str
    summary: str


class VoteTallyOut(Schema):
    candidate_id: int
    name: str
    votes: int
    voided: int


class VoteCodeIn(InSchema):
    phone: str = Field(..., max_length=20)
    captcha_id: str = Field("", max_length=40, description="图形验证的编号（仅在被要求时）")
    captcha_answer: str = Field("", max_length=10)


class VoteLimitedOut(Schema):
    detail: str
    captcha: dict | None = Field(None, description="需要图形验证时：{id, image}，image 为 PNG 的 data URL")


class VoteMessage(Schema):
    detail: str


class VotesCastOut(Schema):
    counted: list[int]


def _public(selection_id: int) -> Selection:
    selection = Selection.objects.select_related("campaign").filter(pk=selection_id).first()
    if selection is None or selection.campaign.status == Campaign.Status.DRAFT:
        raise Http404(_("评选不存在"))
    return selection


@router.get("/", response=list[SelectionOut], auth=None, summary="Selections of published campaigns (public)")
def list_selections(request):
    rows = Selection.objects.select_related("campaign").exclude(campaign__status=Campaign.Status.DRAFT)
    return [
        {
            "id": s.pk,
            "campaign_id": s.campaign_id,
            "title": s.title,
            "stage": s.stage,
            "vote_open": vote_open(s),
        }
        for s in rows
    ]


@router.get(
    "/{selection_id}/candidates", response=list[VoteCandidateOut], auth=None, summary="Candidates (public)"
)
def candidates(request, selection_id: int):
    selection = _public(selection_id)
    rows = Nomination.objects.filter(
        selection=selection, status__in=[Nomination.Status.SHORTLISTED, Nomination.Status.WINNER]
    ).select_related("unit")
    return [{"id": n.pk, "name": n.name, "unit_name": n.work_unit, "summary": n.summary} for n in rows]


@router.post(
    "/{selection_id}/vote-codes",
    response={202: VoteMessage, 409: VoteMessage, 429: VoteLimitedOut},
    auth=None,
    summary="Send a 6-digit code to a mobile number (public; 429 may ask for a picture check)",
)
def request_code(request, selection_id: int, payload: VoteCodeIn):
    selection = _public(selection_id)
    try:
        vote_code_request(
            selection=selection, phone=payload.phone, ip=client_ip(request),
            captcha_id=payload.captcha_id, captcha_answer=payload.captcha_answer,
        )  # fmt: skip
    except VoteLimited as exc:
        return Status(429, {"detail": exc.message, "captcha": captcha_new() if exc.captcha else None})
    except VoteRefused as exc:
        return Status(409, {"detail": exc.text})
    return Status(202, {"detail": _("验证码已发送，5分钟内有效。")})


@router.post(
    "/{selection_id}/votes",
    response={201: VotesCastOut, 400: ErrorOut, 404: VoteMessage, 409: VoteMessage, 429: VoteMessage},
    auth=None,
    summary="Cast votes with the code (public)",
)
def cast(request, selection_id: int, payload: VoteIn):
    # Behind gunicorn a well-formed vote takes the short lane (api/vote_lane.py); both answer with cast_vote.
    return Status(*cast_vote(request, selection_id, payload))


@router.get("/{selection_id}/tally", response=list[VoteTallyOut], auth=None, summary="Live tally (public)")
def get_tally(request, selection_id: int):
    return tally(_public(selection_id))


class NominationOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    gender: str
    birth_date: dt.date
    work_unit: str
    post: str
    mobile: str = Field(..., description="主办、协办单位可见完整号码，其他人为掩码")
    summary: str
    status: str
    reason: str
    duplicate_of: int | None
    version: int


class NominationIn(InSchema):
    unit_id: int | None = None
    name: str = Field(..., max_length=30)
    gender: str = Field(..., max_length=2)
    birth_date: dt.date
    ethnicity: str = Field("汉族", max_length=20)
    political_status: str = Field("", max_length=20)
    work_unit: str = Field(..., max_length=100)
    post: str = Field("", max_length=100)
    field: str = Field("", max_length=50)
    mobile: str = Field(..., max_length=20)
    summary: str = Field(..., max_length=5000)
    deeds: str = Field(..., max_length=20000)
    honours: str = Field("", max_length=5000)
    unit_opinion: str = Field("", max_length=2000)
    confirmed_rules: list[int] = Field(default_factory=list, max_length=50)
    submit: bool = False


class NominationReviewIn(InSchema):
    action: str = Field(..., max_length=16, description="pass / return / reject / disqualify / shortlist")
    reason: str = Field("", max_length=300)
    version: int | None = None


class VotesVoidIn(InSchema):
    vote_ids: list[int] = Field(..., max_length=100_000)
    reason: str = Field(..., max_length=200)


def _nomination_out(n: Nomination, full_mobile: bool) -> dict:
    return {
        "id": n.pk, "unit_id": n.unit_id, "unit_name": n.unit.name, "name": n.name, "gender": n.gender,
        "birth_date": n.birth_date, "work_unit": n.work_unit, "post": n.post,
        "mobile": n.mobile if full_mobile else mask_phone(n.mobile), "summary": n.summary,
        "status": n.status, "reason": n.reason, "duplicate_of": n.duplicate_of_id, "version": n.version,
    }  # fmt: skip


@router.get("/{selection_id}/nominations", response=list[NominationOut], summary="Nominations (scoped)")
def list_nominations(request, selection_id: int):
    selection = access_selection(request.user, selection_id)
    rows = Nomination.objects.filter(selection=selection).select_related("unit")
    if not can_run(request.user, selection):
        units = nominating_units(request.user, selection)
        if not units:
            raise PermissionDenied(_("您的单位不是本次评选的推荐单位"))
        rows = rows.filter(unit__in=units)
    full = sees_mobiles(request.user, selection)
    return [_nomination_out(n, full) for n in rows]


@router.post("/{selection_id}/nominations", response={201: NominationOut}, summary="A unit nominates")
def create_nomination(request, selection_id: int, payload: NominationIn):
    selection = access_selection(request.user, selection_id)
    units = nominating_units(request.user, selection)
    unit = next((u for u in units if payload.unit_id in (None, u.pk)), None)
    if unit is None:
        raise Http404(_("您的单位不是本次评选的推荐单位"))
    data = payload.dict(exclude={"unit_id", "submit"})
    n = nomination_save(actor=request.user, selection=selection, unit=unit, data=data, submit=payload.submit)
    return Status(201, _nomination_out(n, sees_mobiles(request.user, selection)))


@router.post("/nominations/{nomination_id}/review", response=NominationOut, summary="资格审查 and decisions")
def review(request, nomination_id: int, payload: NominationReviewIn):
    nomination = access_nomination(request.user, nomination_id)
    access_selection(request.user, nomination.selection_id, run=True)
    n = nomination_review(
        actor=request.user, nomination=nomination, action=payload.action, reason=payload.reason,
        version=payload.version,
    )  # fmt: skip
    return _nomination_out(n, True)


class VoteFindingOut(Schema):
    kind: str
    title: str
    detail: str
    count: int
    voided: int
    vote_ids: list[int] = Field(..., description="该组中尚未作废的票")


@router.get("/{selection_id}/anomalies", response=list[VoteFindingOut], summary="The vote's anomaly report")
def anomalies(request, selection_id: int):
    selection = access_selection(request.user, selection_id, run=True)
    return [
        {
            "kind": f.kind,
            "title": f.title,
            "detail": f.detail,
            "count": f.count,
            "voided": f.voided,
            "vote_ids": f.vote_ids,
        }
        for f in anomaly_report(selection)
    ]


class VotesVoidOut(Schema):
    voided: int


@router.post("/{selection_id}/votes/void", response=VotesVoidOut, summary="Void flagged votes with a reason")
def void(request, selection_id: int, payload: VotesVoidIn):
    selection = access_selection(request.user, selection_id, run=True)
    return {
        "voided": votes_void(
            actor=request.user, selection=selection, vote_ids=payload.vote_ids, reason=payload.reason
        )
    }
