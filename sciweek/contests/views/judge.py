"""The judge's pages, made for a phone: pledge and conflicts, the queue with progress, the score form.

A judge reaches only their own contest and only the entries assigned to them (others answer 404); in
blind mode nothing on these pages names a student, tutor or school.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.judging.models import Assignment, ConflictKind, Score
from sciweek.judging.selectors import (
    Pledge,
    criterion_rows,
    judge_queue,
    next_open,
    queue_progress,
    score_status,
)
from sciweek.judging.services import criteria_for

from ..access import JUDGE, access_contest, judge_of, sees_names
from ..judge_services import (
    contest_judge_pledge,
    contest_score_save,
    judge_declare_item,
    judge_declare_school,
    peer_totals,
)
from ..models import Entry, StageCode
from ..setup import judging_of

ROUND_STAGES = [StageCode.PRELIMINARY, StageCode.FINAL]


def _judge(request: HttpRequest, contest_id: int):
    contest, roles = access_contest(request.user, contest_id, need={JUDGE})
    return contest, roles, judge_of(request.user, contest)


def _pledge(contest) -> Pledge:
    return Pledge(
        title=contest.title,
        opening=_("本人自愿担任本届大赛评委，郑重承诺："),
        clauses=(
            _("坚持公平、公正、科学的原则，独立评审，不受任何单位和个人干扰；"),
            _(
                "如与参赛学生、指导教师或学校存在亲属、师生、同校/同单位、指导过该作品或其他利益关系，主动申报回避；"
            ),
            _("对参赛作品内容和评审情况严格保密，不泄露、不复制、不另作他用；"),
            _("不私下接触参赛学生、指导教师及学校，不接受任何馈赠。"),
        ),
    )


@login_required
def judge_home(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, roles, judge = _judge(request, contest_id)
    if judge.pledge_accepted_at is None:
        if request.method == "POST" and request.POST.get("accept") == "1":
            try:
                contest_judge_pledge(contest=contest, judge=judge, actor=request.user)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
                return redirect("contests:judge", contest.pk)
            messages.success(request, _("已签署评审承诺，请申报回避关系后开始评审。"))
            return redirect("contests:judge", contest.pk)
        return render(request, "judging/pledge.html", {"pledge": _pledge(contest), "judge": judge})
    if request.method == "POST" and "school" in request.POST:
        try:
            n = judge_declare_school(
                contest=contest, judge=judge, school_id=request.POST.get("school"), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已申报回避，涉及 %(n)s 件作品。") % {"n": n})
        return redirect("contests:judge", contest.pk)
    rounds = []
    for stage in ROUND_STAGES:
        judging = judging_of(contest, stage)
        queue = judge_queue(judging, judge)
        if not queue:
            continue
        rounds.append(
            {
                "judging": judging,
                "queue": queue,
                **queue_progress(queue).as_context(),
                "status": {a.pk: score_status(a) for a in queue},
            }
        )
    schools = contest.entries.values_list("school_id", "school__name").distinct().order_by("school__name")
    return render(
        request,
        "contests/judge_home.html",
        {
            "contest": contest,
            "judge": judge,
            "rounds": rounds,
            "schools": list(schools),
            "declared": judge.conflicts.filter(automatic=False).count(),
        },
    )


@login_required
def score(request: HttpRequest, contest_id: int, assignment_id: int) -> HttpResponse:
    contest, roles, judge = _judge(request, contest_id)
    if judge.pledge_accepted_at is None:
        return redirect("contests:judge", contest.pk)
    try:
        a = Assignment.objects.select_related("item", "judging").get(
            pk=int(assignment_id), judge=judge, item__excluded=False
        )
    except (Assignment.DoesNotExist, ValueError):
        raise Http404(_("作品不存在"))
    entry = Entry.objects.select_related("category", "school").get(pk=a.item.object_id)
    criteria = criteria_for(a.judging, a.item.criteria_group or a.item.group)
    existing = Score.objects.filter(assignment=a).first()
    errors: dict[str, list[str]] = {}
    status = 200
    values = {str(c.pk): (existing.values.get(str(c.pk)) if existing else None) for c in criteria}
    comment = existing.comment if existing else ""
    if request.method == "POST":
        values = {str(c.pk): request.POST.get(f"c{c.pk}", "") for c in criteria}
        comment = request.POST.get("comment", "")
        raw_version = request.POST.get("version", "")
        action = request.POST.get("action", "draft")
        if action == "conflict":
            try:
                judge_declare_item(
                    contest=contest,
                    judge=judge,
                    assignment=a,
                    kind=request.POST.get("kind", ""),
                    note=request.POST.get("note", ""),
                    actor=request.user,
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
                return redirect("contests:score", contest.pk, a.pk)
            messages.success(request, _("已申报回避，此作品将改派其他评委。"))
            return redirect("contests:judge", contest.pk)
        try:
            saved = contest_score_save(
                contest=contest,
                assignment=a,
                values=values,
                comment=comment,
                submit=action in {"submit", "next"},
                version=int(raw_version) if raw_version.isdigit() else None,
                judge=judge,
                actor=request.user,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            status = 409 if getattr(exc, "code", "") == "stale" or "version" in errors else 400
            existing = Score.objects.filter(assignment=a).first()
        else:
            if action == "next":
                following = next_open(a.judging, judge, a.item_id)
                messages.success(request, _("评分已提交。"))
                if following is not None:
                    return redirect("contests:score", contest.pk, following.pk)
                return redirect("contests:judge", contest.pk)
            messages.success(
                request, _("评分已提交。") if saved.status == Score.Status.SUBMITTED else _("草稿已保存。")
            )
            return redirect("contests:score", contest.pk, a.pk)
    others = peer_totals(a) or []  # only after their own submission, when the contest allows it
    queue = judge_queue(a.judging, judge)
    rows = criterion_rows(criteria, values, errors)
    return render(
        request,
        "contests/score.html",
        {
            "contest": contest,
            "judge": judge,
            "a": a,
            "entry": entry,
            "rows": rows,
            "comment": comment,
            "score": existing,
            "top_errors": errors.get("version", []) + errors.get("__all__", []),
            **queue_progress(queue).as_context(),
            "names": sees_names(roles - {"organizer", "viewer", "school"}, contest),
            "attachments": entry.attachments.all(),
            "others": others,
            "conflict_kinds": ConflictKind.choices,
            "back": reverse("contests:judge", args=[contest.pk]),
        },
        status=status,
    )
