"""最美 selections: the expert review, the committee's ranking, certificates and their verification.

- GET/PUT /selections/{id}/review(/criteria): the round and its criteria (those running the selection).
- GET /selections/{id}/review/tasks, PUT /selections/{id}/review/tasks/{assignment_id}: an expert's own
  candidates and scores (the version the screen showed; a stale one answers 409).
- GET /selections/{id}/ranking: expert score, votes, vote score and the combined score (bureau).
- GET /selections/{id}/certificates.pdf (those running it); GET /selections/{id}/verify/{token} (public).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sciweek.judging.models import Assignment, Score
from sciweek.judging.selectors import judge_queue
from sciweek.judging.services import criteria_for
from sciweek.orgs.access import is_bureau_member
from sciweek.selections.access import access_selection, can_run
from sciweek.selections.models import Certificate, Selection
from sciweek.selections.ranking import ranking
from sciweek.selections.services.certificates import certificates_download, verify
from sciweek.selections.services.review import (
    OWNER,
    CriterionIn,
    judge_of,
    review_criteria_set,
    review_round,
    review_score_save,
)

from .common import InSchema

router = Router(tags=["selections"])


class ReviewCriterionOut(Schema):
    id: int
    name: str
    weight: int
    max_score: float


class ReviewRoundOut(Schema):
    id: int
    title: str
    version: int
    judges_per_item: int
    criteria: list[ReviewCriterionOut]
    candidates: int
    assignments: int
    submitted: int


class ReviewCriterionIn(InSchema):
    name: str = Field(..., max_length=50)
    weight: int = Field(..., ge=1, le=100)


class ReviewCriteriaIn(InSchema):
    version: int
    criteria: list[ReviewCriterionIn]


class ReviewTaskOut(Schema):
    assignment_id: int
    nomination_id: int
    name: str
    criteria: list[ReviewCriterionOut]
    values: dict[str, float]
    total: float | None
    comment: str
    status: str
    version: int | None


class ReviewScoreIn(InSchema):
    values: dict[str, float | None] = Field(..., description="{评分项 id: 分数}")
    comment: str = Field("", max_length=2000)
    submit: bool = False
    version: int | None = Field(None, description="屏幕上显示的评分版本；首次评分为空")


class SelectionRankOut(Schema):
    rank: int | None
    nomination_id: int
    name: str
    status: str
    expert_score: float | None
    expert_count: int
    votes: int
    vote_score: float
    combined: float | None


class SelectionRankingOut(Schema):
    public_weight: float
    vote_enabled: bool
    rows: list[SelectionRankOut]


class CertificateVerifyOut(Schema):
    name: str
    title: str
    year: int
    issuer: str
    valid: bool
    reason: str


MAX_ID = 2**63 - 1


def _sid(selection_id: int) -> int:
    """Ids beyond a database integer are simply not found (never a 500 from the driver)."""
    if not 0 < selection_id <= MAX_ID:
        raise Http404(_("评选不存在"))
    return selection_id


def _round_out(selection: Selection) -> dict:
    round_ = review_round(selection)
    if round_ is None:
        raise Http404(_("专家评审尚未开始"))
    return {
        "id": round_.pk,
        "title": round_.title,
        "version": round_.version,
        "judges_per_item": round_.judges_per_item,
        "criteria": [_criterion(c) for c in round_.criteria.filter(group="")],
        "candidates": round_.items.filter(excluded=False).count(),
        "assignments": round_.assignments.count(),
        "submitted": Score.objects.filter(assignment__judging=round_, status=Score.Status.SUBMITTED).count(),
    }


def _criterion(c) -> dict:
    return {"id": c.pk, "name": c.name, "weight": c.weight, "max_score": float(c.max_score)}


@router.get("/{selection_id}/review", response=ReviewRoundOut, summary="The expert review round")
def get_review(request, selection_id: int):
    selection = access_selection(request.user, _sid(selection_id), run=True)
    return _round_out(selection)


@router.put("/{selection_id}/review/criteria", response=ReviewRoundOut, summary="Set criteria and weights")
def put_review_criteria(request, selection_id: int, payload: ReviewCriteriaIn):
    selection = access_selection(request.user, _sid(selection_id), run=True)
    review_criteria_set(
        actor=request.user,
        selection=selection,
        criteria=[CriterionIn(c.name, c.weight) for c in payload.criteria],
        version=payload.version,
    )
    return _round_out(selection)


def _expert(request, selection_id: int):
    selection = Selection.objects.select_related("campaign__org_unit").filter(pk=_sid(selection_id)).first()
    judge = judge_of(request.user, selection) if selection is not None else None
    if selection is None or judge is None:
        raise Http404(_("评审任务不存在"))
    if judge.pledge_accepted_at is None:
        raise PermissionDenied(_("请先在评审页面签署评审承诺。"))
    return selection, judge


def _task(a: Assignment) -> dict:
    score = Score.objects.filter(assignment=a).first()
    return {
        "assignment_id": a.pk,
        "nomination_id": a.item.object_id,
        "name": a.item.label,
        "criteria": [_criterion(c) for c in criteria_for(a.judging, a.item.criteria_group or a.item.group)],
        "values": score.values if score else {},
        "total": float(score.total) if score else None,
        "comment": score.comment if score else "",
        "status": score.status if score else "",
        "version": score.version if score else None,
    }


@router.get(
    "/{selection_id}/review/tasks", response=list[ReviewTaskOut], summary="An expert's own candidates"
)
def review_tasks(request, selection_id: int):
    selection, judge = _expert(request, selection_id)
    round_ = review_round(selection)
    return [_task(a) for a in judge_queue(round_, judge)] if round_ else []


@router.put(
    "/{selection_id}/review/tasks/{assignment_id}", response=ReviewTaskOut, summary="An expert scores"
)
def review_score(request, selection_id: int, assignment_id: int, payload: ReviewScoreIn):
    selection, judge = _expert(request, selection_id)
    a = (
        Assignment.objects.select_related("item", "judging")
        .filter(pk=_sid(assignment_id), judge=judge, item__excluded=False)
        .filter(judging__owner_kind=OWNER, judging__owner_id=selection.pk)
        .first()
    )
    if a is None:
        raise Http404(_("评审任务不存在"))
    review_score_save(
        actor=request.user,
        selection=selection,
        judge=judge,
        assignment=a,
        values={k: v for k, v in payload.values.items()},
        comment=payload.comment,
        submit=payload.submit,
        version=payload.version,
    )
    return _task(a)


@router.get(
    "/{selection_id}/ranking", response=SelectionRankingOut, summary="Ranking with the combined score"
)
def get_selection_ranking(request, selection_id: int):
    selection = access_selection(request.user, _sid(selection_id))
    if not (can_run(request.user, selection) or is_bureau_member(request.user, selection.campaign.org_unit)):
        raise PermissionDenied(_("只有组织单位可以查看评审排名"))
    rows, weight = ranking(selection)
    return {
        "public_weight": float(weight),
        "vote_enabled": selection.vote_enabled,
        "rows": [combined_row(r) for r in rows],
    }


@router.get("/{selection_id}/certificates.pdf", summary="The issued certificates as PDF")
def download_certificates(request, selection_id: int):
    selection = access_selection(request.user, _sid(selection_id), run=True)
    certs = list(Certificate.objects.filter(nomination__selection=selection).order_by("pk"))
    if not certs:
        raise Http404(_("尚未颁发证书"))
    return certificates_download(request, selection, certs)


@router.get(
    "/{selection_id}/verify/{token}", response=CertificateVerifyOut, auth=None, summary="Verify a certificate"
)
def verify_selection_certificate(request, selection_id: int, token: str):
    found = verify(_sid(selection_id), token)
    if found is None:
        raise Http404(_("未找到该证书"))
    c = found.certificate
    return {
        "name": c.name,
        "title": c.title,
        "year": c.year,
        "issuer": c.issuer,
        "valid": found.valid,
        "reason": found.reason,
    }


def combined_row(r: Any) -> dict[str, Any]:
    """One candidate of the combined ranking as the API gives it (the committee's decision adds to it)."""
    return {
        "rank": r.rank if r.combined is not None else None,
        "nomination_id": r.nomination.pk,
        "name": r.nomination.name,
        "status": r.nomination.status,
        "expert_score": r.expert,
        "expert_count": r.expert_count,
        "votes": r.votes,
        "vote_score": r.vote_score,
        "combined": r.combined,
    }
