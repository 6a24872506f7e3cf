"""最美 selections after the expert review: the committee's decision and the 公示's objections.

- GET /selections/{id}/decision: the ranking the committee page shows, the winners, the opinion and the
  selection's version (those running the selection: organizer and co-organizers, as the page).
- POST /selections/{id}/decision: the winners (差额: no more than the places; passing over a higher-ranked
  candidate needs the opinion) with the version the screen showed; a stale one answers 409.
- POST /selections/{id}/objections (public, multipart like the page's form): a real-name objection during
  公示, rate-limited per address with the page's setting (``SCIWEEK_OBJECTION_RATE``); a unit's objection
  carries its stamped scan as the ``stamped_scan`` file. 201 / 400 (Chinese, per field) / 429.
- GET /selections/{id}/objections: the bureau (phones in full only for those running the selection).
- POST /selections/{id}/objections/{objection_id}/answer: outcome and answer, closing it (409 if closed).

Every write goes through services/publicity.py, which audits it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sciweek.core.masking import mask_phone
from sciweek.core.middleware import client_ip
from sciweek.core.ratelimit import rate_limit_hit
from sciweek.orgs.access import is_bureau_member
from sciweek.selections.access import access_selection, can_run
from sciweek.selections.models import Nomination, Objection, Selection
from sciweek.selections.ranking import ranking
from sciweek.selections.services.publicity import objection_answer, objection_submit, selection_decide

from .common import WRITE_ERRORS, ErrorOut, InSchema, local
from .selections import _public
from .selections_review import _sid, combined_row

router = Router(tags=["selections"])


class CommitteeRowOut(Schema):
    rank: int | None
    nomination_id: int
    name: str
    work_unit: str
    status: str
    winner: bool
    expert_score: float | None
    expert_count: int
    votes: int
    vote_score: float
    combined: float | None


class CommitteeDecisionOut(Schema):
    selection_id: int
    stage: str
    places: int = Field(..., description="评选名额（差额评选：当选人数不超过名额）")
    version: int = Field(..., description="确定人选时须原样回传；已被他人修改时返回 409")
    note: str = Field(..., description="评审委员会意见")
    public_weight: float
    vote_enabled: bool
    winner_ids: list[int]
    rows: list[CommitteeRowOut]


class CommitteeDecisionIn(InSchema):
    winner_ids: list[int] = Field(..., max_length=1000, description="当选人选（候选人编号）")
    note: str = Field("", max_length=2000, description="评审委员会意见；未按综合排名确定人选时必填")
    version: int = Field(..., description="读取时的评选版本")


class SelectionObjectionIn(InSchema):
    nomination_id: int = Field(..., description="公示名单中的人选")
    name: str = Field("", max_length=30, description="姓名（实名，不受理匿名异议）")
    phone: str = Field("", max_length=20, description="联系电话")
    content: str = Field("", max_length=5000, description="异议内容（具体事实，至少10个字）")
    unit_name: str = Field("", max_length=100, description="工作单位；以单位名义提出时必填")
    is_unit: bool = Field(False, description="以单位名义提出：须同时上传 stamped_scan（加盖公章的扫描件）")


class SelectionObjectionCreatedOut(Schema):
    id: int
    detail: str


class SelectionObjectionOut(Schema):
    id: int
    nomination_id: int
    nomination_name: str
    name: str
    unit_name: str
    is_unit: bool
    phone: str = Field(..., description="主办、协办单位可见完整号码，其他人为掩码")
    content: str
    has_evidence: bool
    has_stamped_scan: bool
    created_at: dt.datetime
    status: str
    outcome: str
    answer: str
    answered_at: dt.datetime | None


class SelectionObjectionAnswerIn(InSchema):
    outcome: str = Field(..., max_length=10, description="unfounded / upheld / partly")
    answer: str = Field(..., max_length=5000, description="核查情况和结论")


class SelectionApiMessage(Schema):
    detail: str


def _decision_out(selection: Selection) -> dict:
    rows, weight = ranking(selection)
    return {
        "selection_id": selection.pk,
        "stage": selection.stage,
        "places": selection.places,
        "version": selection.version,
        "note": selection.decision_note,
        "public_weight": float(weight),
        "vote_enabled": selection.vote_enabled,
        "winner_ids": [r.nomination.pk for r in rows if r.nomination.status == Nomination.Status.WINNER],
        "rows": [
            {
                **combined_row(r),
                "work_unit": r.nomination.work_unit,
                "winner": r.nomination.status == Nomination.Status.WINNER,
            }
            for r in rows
        ],
    }


@router.get(
    "/{selection_id}/decision", response=CommitteeDecisionOut, summary="The committee's ranking and decision"
)
def get_committee_decision(request, selection_id: int):
    return _decision_out(access_selection(request.user, _sid(selection_id), run=True))


@router.post(
    "/{selection_id}/decision",
    response={200: CommitteeDecisionOut, **WRITE_ERRORS},
    summary="The committee decides the winners (差额; version-checked)",
)
def post_committee_decision(request, selection_id: int, payload: CommitteeDecisionIn):
    selection = access_selection(request.user, _sid(selection_id), run=True)
    selection_decide(
        actor=request.user, selection=selection, winner_ids=payload.winner_ids, note=payload.note,
        version=payload.version,
    )  # fmt: skip
    return _decision_out(selection)


def _objection_out(o: Objection, full_phone: bool) -> dict:
    return {
        "id": o.pk, "nomination_id": o.nomination_id, "nomination_name": o.nomination.name, "name": o.name,
        "unit_name": o.unit_name, "is_unit": o.is_unit, "phone": o.phone if full_phone else mask_phone(o.phone),
        "content": o.content, "has_evidence": bool(o.evidence), "has_stamped_scan": bool(o.stamped_scan),
        "created_at": local(o.created_at), "status": o.status, "outcome": o.outcome, "answer": o.answer,
        "answered_at": local(o.answered_at),
    }  # fmt: skip


@router.post(
    "/{selection_id}/objections",
    response={201: SelectionObjectionCreatedOut, 400: ErrorOut, 404: ErrorOut, 429: SelectionApiMessage},
    auth=None,
    summary="Lodge a real-name objection during 公示 (public; multipart/form-data like the page's form)",
)
def lodge_selection_objection(
    request,
    selection_id: int,
    payload: Form[SelectionObjectionIn],
    evidence: UploadedFile | None = File(None, description="证明材料（可选，PDF/Word/图片，20MB以内）"),  # noqa: B008
    stamped_scan: UploadedFile | None = File(None, description="单位盖章扫描件（以单位名义时必传）"),  # noqa: B008
):
    selection = _public(_sid(selection_id))
    if selection.stage not in (Selection.Stage.PUBLICIZING, Selection.Stage.PUBLISHED):
        raise Http404(_("尚未公示"))
    # The page's limit, shared with it (same scope and key): the API is no way around it.
    over, _w = rate_limit_hit(scope="objection", key=client_ip(request) or "unknown",
                              setting="SCIWEEK_OBJECTION_RATE", default=(10, 3600))  # fmt: skip
    if over:
        return Status(429, {"detail": _("提交过于频繁，请稍后再试。")})
    objection = objection_submit(
        selection=selection, nomination_id=payload.nomination_id, name=payload.name, phone=payload.phone,
        content=payload.content, unit_name=payload.unit_name, is_unit=payload.is_unit, evidence=evidence,
        stamped_scan=stamped_scan, ip=client_ip(request),
    )  # fmt: skip
    return Status(
        201,
        {"id": objection.pk, "detail": _("异议已受理。我们将核查并答复您，您的个人信息严格保密。")},
    )


@router.get(
    "/{selection_id}/objections",
    response=list[SelectionObjectionOut],
    summary="The 公示's objections (bureau)",
)
def list_selection_objections(request, selection_id: int):
    selection = access_selection(request.user, _sid(selection_id))
    runs = can_run(request.user, selection)
    if not (runs or is_bureau_member(request.user, selection.campaign.org_unit)):
        raise PermissionDenied(_("异议保密，仅组织单位可以查看"))
    rows = selection.objections.select_related("nomination").order_by("-created_at", "-id")
    return [_objection_out(o, runs) for o in rows]


@router.post(
    "/{selection_id}/objections/{objection_id}/answer",
    response={200: SelectionObjectionOut, **WRITE_ERRORS},
    summary="Answer and close an objection (an upheld one withdraws the title)",
)
def answer_selection_objection(
    request, selection_id: int, objection_id: int, payload: SelectionObjectionAnswerIn
):
    selection = access_selection(request.user, _sid(selection_id), run=True)
    objection = Objection.objects.filter(pk=_sid(objection_id), selection=selection).first()
    if objection is None:
        raise Http404(_("异议不存在"))
    objection = objection_answer(
        actor=request.user, objection=objection, outcome=payload.outcome, answer=payload.answer
    )
    return _objection_out(Objection.objects.select_related("nomination").get(pk=objection.pk), True)
