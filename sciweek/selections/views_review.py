"""专家评审 pages and certificates.

- The bureau (``access.can_run``): the round's criteria and weights, the experts and their conflicts,
  assignment, progress; certificates after 公布.
- An expert (a judge of THIS selection only; anyone else gets 404): the pledge, the queue and the
  score form, made for a phone.
- The public: the verification page a certificate's QR code opens.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.judging.models import Assignment, ConflictKind, Judge, Score
from sciweek.judging.selectors import (
    Pledge,
    criterion_rows,
    judge_queue,
    next_open,
    progress,
    queue_progress,
    score_status,
)
from sciweek.judging.services import criteria_for, judge_pledge
from sciweek.orgs.models import OrgUnit

from .access import access_selection
from .models import Certificate, Nomination, Selection
from .services.certificates import certificates_download, certificates_issue, verify
from .services.review import (
    OWNER,
    CriterionIn,
    judge_of,
    review_assign,
    review_criteria_set,
    review_declare,
    review_judge_create,
    review_open,
    review_round,
    review_score_save,
)


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@login_required
def review_manage(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = access_selection(request.user, selection_id, run=True)
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = _int(request.POST.get("version"))
        try:
            if action == "open":
                review_open(actor=request.user, selection=selection)
                messages.success(request, _("专家评审已开始，候选人已同步。"))
            elif action == "criteria":
                names = request.POST.getlist("name")
                weights = request.POST.getlist("weight")
                rows = [
                    CriterionIn(n, _int(w) or 0)
                    for n, w in zip(names, weights, strict=False)
                    if n.strip() or w.strip()
                ]
                review_criteria_set(actor=request.user, selection=selection, criteria=rows, version=version)
                messages.success(request, _("评分项和权重已保存。"))
            elif action == "judge":
                unit = None
                if unit_id := _int(request.POST.get("unit")):
                    unit = OrgUnit.objects.filter(
                        pk=unit_id, path__startswith=selection.campaign.org_unit.path
                    ).first()
                judge, password = review_judge_create(
                    actor=request.user,
                    selection=selection,
                    username=request.POST.get("username", ""),
                    name=request.POST.get("name", ""),
                    unit=unit,
                    unit_text=request.POST.get("unit_text", ""),
                )
                messages.success(
                    request,
                    _("已添加评审专家 %(name)s，账号 %(user)s，初始密码 %(pw)s（仅显示这一次）。")
                    % {"name": judge.name, "user": judge.user.username, "pw": password},
                )
            elif action in {"assign_all", "assign_k"}:
                k = _int(request.POST.get("k")) if action == "assign_k" else None
                if action == "assign_k" and not k:
                    raise ValidationError({"k": _("请填写每位候选人的评审专家人数。")})
                report = review_assign(actor=request.user, selection=selection, k=k, version=version)
                messages.success(
                    request, _("已分配 %(n)s 个评审任务（回避关系已排除）。") % {"n": report.pairs}
                )
            else:
                raise ValidationError({"action": _("未知操作。")})
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("selections:expert_review", selection.pk)
    round_ = review_round(selection)
    judges = list(
        Judge.objects.filter(owner_kind=OWNER, owner_id=selection.pk)
        .select_related("user", "unit")
        .order_by("id")
    )
    conflicts = {}
    people = dict(Nomination.objects.filter(selection=selection).values_list("pk", "name"))
    for j in judges:
        conflicts[j.pk] = [
            (people.get(c.object_id, "?"), c.get_kind_display(), c.automatic) for c in j.conflicts.all()
        ]
    criteria = list(round_.criteria.filter(group="")) if round_ else []
    return render(
        request,
        "selections/review.html",
        {
            "selection": selection,
            "round": round_,
            "criteria": criteria,
            "blank_rows": range(max(0, 5 - len(criteria))),
            "judges": [(j, conflicts[j.pk]) for j in judges],
            "progress": progress(round_) if round_ else [],
            "items": round_.items.filter(excluded=False).count() if round_ else 0,
            "assigned": round_.assignments.count() if round_ else 0,
            "scored": Score.objects.filter(assignment__judging=round_).exists() if round_ else False,
            "units": OrgUnit.objects.filter(path__startswith=selection.campaign.org_unit.path).order_by(
                "path"
            )[:300],
        },
    )


def _judge(request: HttpRequest, selection_id: int) -> tuple[Selection, Judge]:
    """The selection and the caller's seat on its panel; 404 for everyone else (a judge of another
    selection included: a judge's role is limited to one selection)."""
    selection = Selection.objects.select_related("campaign__org_unit").filter(pk=selection_id).first()
    judge = judge_of(request.user, selection) if selection is not None else None
    if selection is None or judge is None:
        raise Http404(_("评审任务不存在"))
    return selection, judge


def _pledge(selection) -> Pledge:
    return Pledge(
        title=selection.title,
        opening=_("本人自愿担任本次评选的评审专家，郑重承诺："),
        clauses=(
            _("坚持公平、公正的原则，依据评分标准独立评审，不受任何单位和个人干扰；"),
            _("与被推荐人存在亲属、同单位或其他利益关系的，主动申报回避；"),
            _("对推荐材料和评审情况严格保密，不泄露被推荐人的个人信息；"),
            _("不私下接触被推荐人及推荐单位，不接受任何馈赠。"),
        ),
    )


@login_required
def judge_home(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection, judge = _judge(request, selection_id)
    if judge.pledge_accepted_at is None:
        if request.method == "POST" and request.POST.get("accept") == "1":
            judge_pledge(judge=judge, actor=request.user)
            messages.success(request, _("已签署评审承诺，请申报回避关系后开始评审。"))
            return redirect("selections:judge_home", selection.pk)
        return render(request, "judging/pledge.html", {"pledge": _pledge(selection), "judge": judge})
    round_ = review_round(selection)
    queue = judge_queue(round_, judge) if round_ else []
    return render(
        request,
        "selections/judge_home.html",
        {
            "selection": selection,
            "judge": judge,
            "round": round_,
            "queue": [(a, score_status(a)) for a in queue],
            **queue_progress(queue).as_context(),
        },
    )


@login_required
def judge_score(request: HttpRequest, selection_id: int, assignment_id: int) -> HttpResponse:
    selection, judge = _judge(request, selection_id)
    if judge.pledge_accepted_at is None:
        return redirect("selections:judge_home", selection.pk)
    a = (
        Assignment.objects.select_related("item", "judging")
        .filter(pk=assignment_id, judge=judge, item__excluded=False, judging__owner_kind=OWNER)
        .filter(judging__owner_id=selection.pk)
        .first()
    )
    if a is None:
        raise Http404(_("评审任务不存在"))
    nomination = Nomination.objects.select_related("unit").get(pk=a.item.object_id, selection=selection)
    criteria = criteria_for(a.judging, a.item.criteria_group or a.item.group)
    existing = Score.objects.filter(assignment=a).first()
    errors: dict[str, list[str]] = {}
    status = 200
    values = {str(c.pk): (existing.values.get(str(c.pk)) if existing else None) for c in criteria}
    comment = existing.comment if existing else ""
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        if action == "conflict":
            try:
                review_declare(
                    actor=request.user, selection=selection, judge=judge, nomination_id=nomination.pk,
                    kind=request.POST.get("kind", ""), note=request.POST.get("note", ""),
                )  # fmt: skip
            except ValidationError as exc:
                _errors(request, exc)
                return redirect("selections:judge_score", selection.pk, a.pk)
            messages.success(request, _("已申报回避，此候选人将不再由您评审。"))
            return redirect("selections:judge_home", selection.pk)
        values = {str(c.pk): request.POST.get(f"c{c.pk}", "") for c in criteria}
        comment = request.POST.get("comment", "")
        try:
            saved = review_score_save(
                actor=request.user,
                selection=selection,
                judge=judge,
                assignment=a,
                values=values,
                comment=comment,
                submit=action in {"submit", "next"},
                version=_int(request.POST.get("version")),
            )
        except ValidationError as exc:
            errors = exc.message_dict
            status = 409 if getattr(exc, "code", "") == "stale" or "version" in errors else 400
            existing = Score.objects.filter(assignment=a).first()
        else:
            if action == "next":
                messages.success(request, _("评分已提交。"))
                following = next_open(a.judging, judge, a.item_id)
                if following is not None:
                    return redirect("selections:judge_score", selection.pk, following.pk)
                return redirect("selections:judge_home", selection.pk)
            messages.success(
                request, _("评分已提交。") if saved.status == Score.Status.SUBMITTED else _("草稿已保存。")
            )
            return redirect("selections:judge_score", selection.pk, a.pk)
    queue = judge_queue(a.judging, judge)
    rows = criterion_rows(criteria, values, errors)
    return render(
        request,
        "selections/judge_score.html",
        {
            "selection": selection,
            "judge": judge,
            "a": a,
            "n": nomination,
            "rows": rows,
            "comment": comment,
            "score": existing,
            "top_errors": errors.get("version", []) + errors.get("__all__", []) + errors.get("comment", []),
            **queue_progress(queue).as_context(),
            "conflict_kinds": ConflictKind.choices,
            "back": reverse("selections:judge_home", args=[selection.pk]),
        },
        status=status,
    )


@login_required
def certificates(request: HttpRequest, selection_id: int) -> HttpResponse:
    """GET: the issued certificates as one PDF; POST: issue the missing ones, then download."""
    selection = access_selection(request.user, selection_id, run=True)
    if request.method == "POST":
        try:
            certificates_issue(actor=request.user, selection=selection)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("selections:decide", selection.pk)
        return redirect("selections:certificates", selection.pk)
    certs = list(
        Certificate.objects.filter(nomination__selection=selection)
        .select_related("nomination")
        .order_by("pk")
    )
    if not certs:
        raise Http404(_("尚未颁发证书"))
    return certificates_download(request, selection, certs)


def verify_page(request: HttpRequest, selection_id: int, token: str) -> HttpResponse:
    found = verify(selection_id, token)
    return render(request, "selections/verify.html", {"v": found}, status=200 if found else 404)
