"""/api/v1/contests: the youth S&T innovation contest — entries, judges, conflicts, assignment, scores,
ranking and awards, with the pages' scope rules.

A judge sees only the entries assigned to them, and in blind mode no names at all: the entries they
get carry no ``students``, ``tutors`` or ``school`` keys. Schools see their own entries; staff (the
organizer, bureau members) everything; the organizer alone runs the assignment. The writes (assignment,
scores) answer 409 once the contest's campaign is closed, with the reason (campaigns/lifecycle.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from sciweek.contests.access import JUDGE, ORGANIZER, SCHOOL, VIEWER, access_contest, judge_of, schools_of
from sciweek.contests.access import visible_contests as contests_for
from sciweek.contests.certificates import (
    certificate_rows_for,
    certificate_verify,
    certificates_download,
    no_certificates_reason,
)
from sciweek.contests.judge_services import (
    contest_assign,
    contest_assignment_add,
    contest_assignment_remove,
    contest_score_save,
    peer_totals,
)
from sciweek.contests.models import Contest, Objection, StageCode
from sciweek.contests.publication import objection_create
from sciweek.contests.results import ranking
from sciweek.contests.setup import ITEM, judges_of, judging_of
from sciweek.core.masking import mask_phone
from sciweek.core.middleware import client_ip
from sciweek.core.ratelimit import rate_limit_hit
from sciweek.judging.models import Assignment, Conflict

from .common import WRITE_ERRORS, InSchema

router = Router(tags=["contests"])
STAFF = {ORGANIZER, VIEWER}
STAGES = (StageCode.PRELIMINARY, StageCode.FINAL)


class ContestOut(Schema):
    id: int
    campaign_id: int
    title: str
    year: int
    blind: bool


class StudentOut(Schema):
    name: str
    grade: str
    school_stage: str


class EntryOut(Schema):
    id: int
    category: str
    category_code: str
    title: str
    discipline: str
    collective: bool
    status: str
    shortlisted: bool
    students: list[StudentOut] | None = None
    tutors: list[str] | None = None
    school: str | None = None
    school_id: int | None = None


class ConflictOut(Schema):
    judge_id: int
    entry_id: int
    kind: str
    automatic: bool


class JudgeOut(Schema):
    id: int
    name: str
    group: str
    expertise: list[str]
    pledged: bool


class AssignIn(InSchema):
    stage: str = StageCode.PRELIMINARY
    k: int | None = None


class AssignOut(Schema):
    stage: str
    pairs: int
    expertise_matches: int
    expertise_share: float
    load_spread: dict[str, int]
    solver_seconds: float


class AssignmentOut(Schema):
    id: int
    judge_id: int
    entry_id: int
    stage: str
    status: str


class ManualIn(InSchema):
    judge_id: int
    entry_id: int
    stage: str = StageCode.PRELIMINARY


class ScoreIn(InSchema):
    values: dict[str, float | None]
    comment: str = ""
    submit: bool = False
    version: int | None = None


class ScoreOut(Schema):
    assignment_id: int
    total: float
    status: str
    version: int


class ScoreDetailOut(Schema):
    assignment_id: int
    entry_id: int
    values: dict[str, float | None]
    comment: str
    total: float | None
    status: str
    version: int | None
    # The other judges' totals of the entry, only when the contest lets judges see them after submitting
    # their own and this judge has submitted; absent otherwise.
    others: list[float] | None = None


class ContestObjectionOut(Schema):
    id: int
    entry_id: int
    entry_title: str
    name: str
    phone: str  # masked unless the caller runs the contest
    text: str
    created_at: str
    answer: str
    answered_at: str | None


class ContestObjectionIn(InSchema):
    entry_id: int
    name: str
    phone: str
    text: str


class ContestObjectionCreated(Schema):
    id: int


class ContestApiMessage(Schema):
    detail: str


class CertificateCheckOut(Schema):
    valid: bool
    contest: str | None = None
    title: str | None = None
    category: str | None = None
    award: str | None = None
    school: str | None = None
    students: list[str] | None = None


class RankOut(Schema):
    entry_id: int
    category: str
    rank: int
    score: float | None
    award: str


def _contest(request, contest_id: int, need: set[str] | None = None):
    return access_contest(request.auth, contest_id, need=need)


@router.get("/", response=list[ContestOut])
def list_contests(request):
    return [
        ContestOut(id=c.pk, campaign_id=c.campaign_id, title=c.title, year=c.year, blind=c.blind)
        for c in contests_for(request.auth)
    ]


@router.get("/{contest_id}/entries", response=list[EntryOut], exclude_none=True)
def list_entries(request, contest_id: int):
    contest, roles = _contest(request, contest_id)
    entries = contest.entries.select_related("category", "school").prefetch_related("students").order_by("id")
    names = True
    if not roles & STAFF:
        allowed: set[int] = set()
        if SCHOOL in roles:
            allowed |= set(
                entries.filter(school__in=schools_of(request.auth, contest)).values_list("pk", flat=True)
            )
        if JUDGE in roles:
            mine = set(
                Assignment.objects.filter(
                    judge=judge_of(request.auth, contest), item__kind=ITEM, item__excluded=False
                ).values_list("item__object_id", flat=True)
            )
            allowed |= mine
            names = not contest.blind or bool(roles & {SCHOOL} and not mine)
        entries = entries.filter(pk__in=allowed)
    out = []
    for e in entries:
        row: dict[str, Any] = dict(
            id=e.pk,
            category=e.category.name,
            category_code=e.category.code,
            title=e.title,
            discipline=e.discipline,
            collective=e.collective,
            status=e.status,
            shortlisted=e.shortlisted,
        )
        if names:
            row |= dict(
                students=[
                    StudentOut(name=s.name, grade=s.grade, school_stage=s.school_stage)
                    for s in e.students.all()
                ],
                tutors=list(e.tutors),
                school=e.school.name,
                school_id=e.school_id,
            )
        out.append(EntryOut(**row))
    return out


@router.get("/{contest_id}/judges", response=list[JudgeOut])
def list_judges(request, contest_id: int):
    contest, _roles = _contest(request, contest_id, need=STAFF)
    return [
        JudgeOut(
            id=j.pk,
            name=j.name,
            group=j.group,
            expertise=j.expertise,
            pledged=j.pledge_accepted_at is not None,
        )
        for j in judges_of(contest).order_by("group", "id")
    ]


@router.get("/{contest_id}/conflicts", response=list[ConflictOut])
def list_conflicts(request, contest_id: int):
    contest, roles = _contest(request, contest_id, need=STAFF | {JUDGE})
    judges = judges_of(contest) if roles & STAFF else [judge_of(request.auth, contest)]
    rows = Conflict.objects.filter(judge__in=judges, item_kind=ITEM).order_by("judge_id", "object_id", "kind")
    return [
        ConflictOut(judge_id=c.judge_id, entry_id=c.object_id, kind=c.kind, automatic=c.automatic)
        for c in rows
    ]


@router.post("/{contest_id}/assign", response={200: AssignOut, **WRITE_ERRORS})
def run_assignment(request, contest_id: int, payload: AssignIn):
    contest, _roles = _contest(request, contest_id, need={ORGANIZER})
    if payload.stage not in STAGES:
        raise ValidationError({"stage": _("评审轮次应为 preliminary（初评）或 final（终评）。")})
    report = contest_assign(contest=contest, stage=payload.stage, k=payload.k, actor=request.auth)
    return AssignOut(
        stage=payload.stage,
        pairs=report.pairs,
        expertise_matches=report.matches,
        expertise_share=round(report.matches / report.pairs, 4) if report.pairs else 0.0,
        load_spread=report.spread,
        solver_seconds=round(report.seconds, 4),
    )


@router.get("/{contest_id}/assignments", response=list[AssignmentOut])
def list_assignments(request, contest_id: int, stage: str | None = None):
    contest, roles = _contest(request, contest_id, need=STAFF | {JUDGE})
    out = []
    for st in STAGES:
        if stage and st != stage:
            continue
        rows = Assignment.objects.filter(
            judging=judging_of(contest, st), item__excluded=False
        ).select_related("item", "score")
        if not roles & STAFF:
            rows = rows.filter(judge=judge_of(request.auth, contest))
        for a in rows.order_by("item_id", "judge_id"):
            status = getattr(getattr(a, "score", None), "status", "") if hasattr(a, "score") else ""
            out.append(
                AssignmentOut(
                    id=a.pk, judge_id=a.judge_id, entry_id=a.item.object_id, stage=st, status=status
                )
            )
    return out


@router.post("/{contest_id}/assignments", response={201: AssignmentOut, **WRITE_ERRORS})
def add_assignment(request, contest_id: int, payload: ManualIn):
    """A manual assignment, re-checked for conflicts (a conflict answers 400 naming the judge)."""
    contest, _roles = _contest(request, contest_id, need={ORGANIZER})
    if payload.stage not in STAGES:
        raise ValidationError({"stage": _("评审轮次应为 preliminary（初评）或 final（终评）。")})
    judging = judging_of(contest, payload.stage)
    judge = judges_of(contest).filter(pk=payload.judge_id).first()
    item = judging.items.filter(kind=ITEM, object_id=payload.entry_id).first()
    if judge is None:
        raise ValidationError({"judge_id": _("本大赛没有这位评委。")})
    if item is None:
        raise ValidationError({"entry_id": _("该作品不在本轮评审中。")})
    a = contest_assignment_add(
        contest=contest, stage=payload.stage, judge=judge, item=item, actor=request.auth
    )
    return 201, AssignmentOut(
        id=a.pk, judge_id=judge.pk, entry_id=payload.entry_id, stage=payload.stage, status=""
    )


@router.delete("/{contest_id}/assignments/{assignment_id}", response={204: None, **WRITE_ERRORS})
def remove_assignment(request, contest_id: int, assignment_id: int):
    contest, _roles = _contest(request, contest_id, need={ORGANIZER})
    a = (
        Assignment.objects.filter(pk=assignment_id, judge__in=judges_of(contest))
        .select_related("judging")
        .first()
    )
    if a is None:
        raise Http404(_("分配不存在"))
    contest_assignment_remove(contest=contest, assignment=a, actor=request.auth)
    return 204, None


@router.put("/{contest_id}/assignments/{assignment_id}/score", response={200: ScoreOut, **WRITE_ERRORS})
def save_score(request, contest_id: int, assignment_id: int, payload: ScoreIn):
    contest, _roles = _contest(request, contest_id, need={JUDGE})
    judge = judge_of(request.auth, contest)
    if judge is None:  # the JUDGE role was checked above; a judge row switched off since answers 404
        raise Http404(_("评委不存在"))
    if judge.pledge_accepted_at is None:
        raise PermissionDenied(_("请先签署评审承诺"))
    try:
        a = Assignment.objects.select_related("item", "judging").get(
            pk=assignment_id, judge=judge, item__excluded=False
        )
    except Assignment.DoesNotExist:
        raise Http404(_("作品不存在"))
    score = contest_score_save(
        contest=contest,
        assignment=a,
        values={k: v for k, v in payload.values.items()},
        comment=payload.comment,
        submit=payload.submit,
        version=payload.version,
        judge=judge,
        actor=request.auth,
    )
    return ScoreOut(assignment_id=a.pk, total=float(score.total), status=score.status, version=score.version)


@router.get("/{contest_id}/ranking", response=list[RankOut])
def get_ranking(request, contest_id: int):
    contest, _roles = _contest(request, contest_id, need=STAFF)
    table = ranking(contest)
    out = []
    for cat in contest.categories.all():
        for r in table.get(cat.pk, []):
            out.append(
                RankOut(
                    entry_id=r.entry.pk,
                    category=cat.name,
                    rank=r.rank,
                    score=None if r.score is None else round(r.score, 3),
                    award=r.award,
                )
            )
    return out


@router.get("/{contest_id}/assignments/{assignment_id}/score", response=ScoreDetailOut, exclude_none=True)
def get_score(request, contest_id: int, assignment_id: int):
    """A judge's own score of one assigned entry; ``others`` only as the contest's setting allows."""
    contest, _roles = _contest(request, contest_id, need={JUDGE})
    judge = judge_of(request.auth, contest)
    a = (
        Assignment.objects.select_related("item", "judging")
        .filter(pk=assignment_id, judge=judge, item__excluded=False)
        .first()
    )
    if judge is None or a is None:
        raise Http404(_("作品不存在"))
    score = getattr(a, "score", None) if hasattr(a, "score") else None
    return ScoreDetailOut(
        assignment_id=a.pk,
        entry_id=a.item.object_id,
        values=dict(score.values) if score else {},
        comment=score.comment if score else "",
        total=float(score.total) if score else None,
        status=score.status if score else "",
        version=score.version if score else None,
        others=peer_totals(a),
    )


@router.get("/{contest_id}/objections", response=list[ContestObjectionOut])
def list_objections(request, contest_id: int):
    """The 公示 objections, newest first (staff; phone numbers in full only for the organizer)."""
    contest, roles = _contest(request, contest_id, need=STAFF)
    rows = Objection.objects.filter(contest=contest).select_related("entry").order_by("-created_at", "-id")
    return [
        ContestObjectionOut(
            id=o.pk,
            entry_id=o.entry_id,
            entry_title=o.entry.title,
            name=o.name,
            phone=o.phone if ORGANIZER in roles else mask_phone(o.phone),
            text=o.text,
            created_at=o.created_at.isoformat(),
            answer=o.answer,
            answered_at=o.answered_at.isoformat() if o.answered_at else None,
        )
        for o in rows
    ]


@router.post(
    "/{contest_id}/objections",
    response={201: ContestObjectionCreated, 429: ContestApiMessage},
    auth=None,
    summary="Lodge a real-name objection during 公示 (public)",
)
def create_objection(request, contest_id: int, payload: ContestObjectionIn):
    contest = Contest.objects.select_related("campaign").filter(pk=contest_id).first()
    if contest is None or not contest.campaign.is_public:
        raise Http404(_("大赛不存在"))
    over, _window = rate_limit_hit(
        scope="contest-objection",
        key=client_ip(request) or "unknown",
        setting="SCIWEEK_OBJECTION_RATE",
        default=(10, 3600),
    )
    if over:
        return Status(429, {"detail": _("提交过于频繁，请稍后再试。")})
    objection = objection_create(
        contest=contest,
        entry_id=payload.entry_id,
        name=payload.name,
        phone=payload.phone,
        text=payload.text,
        actor=getattr(request, "auth", None) or f"公众（{payload.name.strip()[:30]}）",
    )
    return Status(201, {"id": objection.pk})


@router.get("/{contest_id}/certificates.pdf", response={200: None})
def download_certificates(request, contest_id: int, entry_id: int | None = None):
    """Award certificates as one PDF: all for staff, a school's own for the school."""
    contest, roles = _contest(request, contest_id, need=STAFF | {SCHOOL})
    rows = certificate_rows_for(contest=contest, user=request.auth, roles=roles, entry_id=entry_id)
    if not rows:
        raise Http404(no_certificates_reason(contest))
    return certificates_download(request, contest, rows)


@router.get(
    "/certificates/{code}",
    response={200: CertificateCheckOut, 404: CertificateCheckOut},
    auth=None,
    exclude_none=True,
    summary="Verify a certificate (public)",
)
def verify_certificate(request, code: str):
    """What a certificate's QR code proves; an unknown code answers 404 with ``valid: false``."""
    found = certificate_verify(code)
    if found is None:
        return Status(404, CertificateCheckOut(valid=False))
    entry, row = found
    return CertificateCheckOut(
        valid=True,
        contest=entry.contest.title,
        title=entry.title,
        category=entry.category.name,
        award=row.award,
        school=entry.school.name,
        students=[s.name for s in entry.students.all()],
    )
