"""The organizer's pages (overview with progress, assignment, ranking, duplicates) and shared ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.core import clock
from sciweek.judging.models import Assignment, Conflict, Judge
from sciweek.judging.selectors import progress

from ..access import JUDGE, ORGANIZER, SCHOOL, VIEWER, access_contest, judge_of, schools_of, visible_contests
from ..duplicates import similar_pairs
from ..entries import entry_qualify, entry_veto
from ..judge_reminders import judge_nudge, reminders_sent
from ..judge_services import contest_assign
from ..models import Entry, EntryFile, StageCode
from ..publication import announced
from ..results import award_adjust, ranking, shortlist
from ..setup import ITEM, current_stage, judges_of, judges_see_peers_of, judging_of

STAFF = {ORGANIZER, VIEWER}


@login_required
@require_GET
def contest_list(request: HttpRequest) -> HttpResponse:
    contests = visible_contests(request.user)
    if len(contests) == 1:
        return redirect("contests:detail", contests[0].pk)
    return render(request, "contests/list.html", {"contests": contests})


@login_required
@require_GET
def contest_detail(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, roles = access_contest(request.user, contest_id)
    if roles == {JUDGE}:
        return redirect("contests:judge", contest.pk)
    if not roles & STAFF:
        return redirect("contests:entries", contest.pk)
    today = clock.localdate()
    rounds = []
    for stage in (StageCode.PRELIMINARY, StageCode.FINAL):
        judging = judging_of(contest, stage)
        rows = progress(judging)
        sent = reminders_sent(contest, stage)
        assigned = sum(p.assigned for p in rows)
        done = sum(p.submitted for p in rows)
        rounds.append(
            {
                "judging": judging,
                "rows": rows,
                "assigned": assigned,
                "done": done,
                "items": judging.items.filter(excluded=False).count(),
                "percent": round(100 * done / assigned) if assigned else 0,
                "reminded": {p.judge.pk: sent[p.judge.pk] for p in rows if p.judge.pk in sent},
            }
        )
    cats = [(c, c.entries.exclude(status=Entry.Status.DRAFT).count()) for c in contest.categories.all()]
    return render(
        request,
        "contests/detail.html",
        {
            "contest": contest,
            "roles": roles,
            "tiers": [(n, round(sh * 100)) for n, sh in contest.award_tiers],
            "groups": sorted(set(contest.categories.values_list("group", flat=True))),
            "stages": contest.stages.all(),
            "current": current_stage(contest, today),
            "announced": announced(contest),
            "rounds": rounds,
            "categories": cats,
            "can_manage": ORGANIZER in roles,
            "judges": judges_of(contest).count(),
            "judges_see_peers": judges_see_peers_of(contest),
            "conflicts": Conflict.objects.filter(item_kind=ITEM, judge__in=judges_of(contest)).count(),
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, contest_id: int, stage: str) -> HttpResponse:
    contest, _roles = access_contest(request.user, contest_id, need={ORGANIZER})
    if stage not in (StageCode.PRELIMINARY, StageCode.FINAL):
        raise Http404(_("评审轮次不存在"))
    try:
        report = contest_assign(contest=contest, stage=stage, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        share = round(100 * report.matches / report.pairs) if report.pairs else 0
        spread = max(report.spread.values(), default=0)
        note = (
            _("各评委任务量相差不超过 1")
            if spread <= 1
            else _("因回避关系，评委任务量最多相差 %(n)s") % {"n": spread}
        )
        messages.success(
            request,
            _("已分配 %(pairs)s 条，专业对口 %(share)s%%，%(note)s。")
            % {"pairs": report.pairs, "share": share, "note": note},
        )
    return redirect("contests:detail", contest.pk)


@login_required
@require_POST
def nudge(request: HttpRequest, contest_id: int, stage: str, judge_id: int) -> HttpResponse:
    """催办: the organizer reminds one late judge now (once a day per stage)."""
    contest, _roles = access_contest(request.user, contest_id, need={ORGANIZER})
    try:
        n = judge_nudge(contest=contest, judge_id=judge_id, stage=stage, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, gettext("已向评委催办（%(n)s条消息）。") % {"n": n})
    return redirect("contests:detail", contest.pk)


@login_required
@require_POST
def settings_view(request: HttpRequest, contest_id: int) -> HttpResponse:
    from ..setup import contest_settings_save

    contest, _roles = access_contest(request.user, contest_id, need={ORGANIZER})
    p = request.POST
    try:
        contest_settings_save(
            contest=contest,
            version=int(p.get("version", "0")),
            shares=[int(p.get(f"share{i}", "-1")) for i in range(len(contest.award_tiers))],
            blind=p.get("blind") == "1",
            judges_per_entry=int(p.get("judges_per_entry", "0")),
            publicity_days=int(p.get("publicity_days", "0")),
            final_weight_preliminary=int(p.get("final_weight_preliminary", "-1")),
            judges_see_peers=p.get("judges_see_peers") == "1",
            judge_reminder_days=[
                int(x) for x in p.get("judge_reminder_days", "").replace("，", ",").split(",") if x.strip()
            ],
            actor=request.user,
        )
    except ValueError:
        messages.error(request, _("请填写整数。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("大赛设置已保存。"))
    return redirect("contests:detail", contest.pk)


@login_required
@require_POST
def judge_add_view(request: HttpRequest, contest_id: int) -> HttpResponse:
    """A judge's account for this contest; the one-time password is shown once, here."""
    from ..setup import contest_judge_create

    contest, _roles = access_contest(request.user, contest_id, need={ORGANIZER})
    p = request.POST
    expertise = [
        x.strip()
        for x in p.get("expertise", "").replace("，", ",").replace("、", ",").split(",")
        if x.strip()
    ]
    try:
        judge, password = contest_judge_create(
            contest=contest,
            username=p.get("username", ""),
            name=p.get("name", "").strip()[:50] or p.get("username", ""),
            group=p.get("group", ""),
            expertise=expertise,
            unit_text=p.get("unit_text", "").strip()[:100],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "已添加评委「%(name)s」：用户名 %(username)s，初始密码 %(password)s（只显示这一次，首次登录须修改）。"
            )
            % {"name": judge.name, "username": judge.user.username, "password": password},
        )
    return redirect("contests:detail", contest.pk)


@login_required
@require_POST
def shortlist_view(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, _roles = access_contest(request.user, contest_id, need={ORGANIZER})
    try:
        share = int(request.POST.get("share") or contest.shortlist_share)
        n = shortlist(contest=contest, share=share, actor=request.user)
    except (ValueError, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [_("比例应为整数。")])))
    else:
        messages.success(request, _("已确定 %(n)s 件作品进入终评。") % {"n": n})
    return redirect("contests:detail", contest.pk)


@login_required
def ranking_view(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, roles = access_contest(request.user, contest_id, need=STAFF)
    if request.method == "POST":
        if ORGANIZER not in roles:
            raise PermissionDenied(_("只有组织单位可以调整奖项"))
        try:
            entry = contest.entries.get(pk=int(request.POST.get("entry", "")))
            award_adjust(
                entry=entry,
                award=request.POST.get("award", ""),
                reason=request.POST.get("reason", ""),
                version=int(request.POST.get("version", "0")),
                actor=request.user,
            )
        except (Entry.DoesNotExist, ValueError):
            raise Http404(_("作品不存在"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已调整「%(title)s」的奖项。") % {"title": entry.title})
        return redirect("contests:ranking", contest.pk)
    table = ranking(contest)
    cats = [(c, table.get(c.pk, [])) for c in contest.categories.all()]
    from sciweek.judging.aggregate import TIE_BREAK_RULE

    return render(
        request,
        "contests/ranking.html",
        {
            "contest": contest,
            "categories": cats,
            "tie_rule": TIE_BREAK_RULE,
            "can_manage": ORGANIZER in roles,
            "tiers": [n for n, _ in contest.award_tiers],
            "final_share": 100 - contest.final_weight_preliminary,
            "min_items": judging_of(contest, StageCode.PRELIMINARY).min_items_for_standardised,
        },
    )


@login_required
def duplicates_view(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, roles = access_contest(request.user, contest_id, need=STAFF)
    if request.method == "POST":
        if ORGANIZER not in roles:
            raise PermissionDenied(_("只有组织单位可以进行资格审查"))
        try:
            entry = contest.entries.get(pk=int(request.POST.get("entry", "")))
        except (Entry.DoesNotExist, ValueError):
            raise Http404(_("作品不存在"))
        try:
            if request.POST.get("action") == "qualify":
                entry_qualify(entry=entry, actor=request.user)
            else:
                entry_veto(entry=entry, reason=request.POST.get("reason", ""), actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已处理「%(title)s」。") % {"title": entry.title})
        return redirect("contests:duplicates", contest.pk)
    return render(
        request,
        "contests/duplicates.html",
        {"contest": contest, "pairs": similar_pairs(contest), "can_manage": ORGANIZER in roles},
    )


@login_required
@require_GET
def attachment(request: HttpRequest, contest_id: int, file_id: int) -> HttpResponse:
    """An entry's file: to staff, to its own school, or to a judge it is assigned to."""
    contest, roles = access_contest(request.user, contest_id)
    try:
        f = EntryFile.objects.select_related("entry").get(pk=int(file_id), entry__contest=contest)
    except (EntryFile.DoesNotExist, ValueError):
        raise Http404(_("文件不存在"))
    allowed = bool(roles & STAFF)
    if not allowed and SCHOOL in roles:
        allowed = f.entry.school in schools_of(request.user, contest)
    if not allowed and JUDGE in roles:
        judge = judge_of(request.user, contest)
        allowed = Assignment.objects.filter(judge=judge, item__kind=ITEM, item__object_id=f.entry_id).exists()
    if not allowed:
        raise Http404(_("文件不存在"))
    # A blind judge gets a neutral file name: the school's upload name may carry names.
    name = (
        f"{f.get_kind_display()}{f.file.name[f.file.name.rfind('.') :]}"
        if JUDGE in roles and not roles & STAFF
        else f.name
    )
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=name)


def judges_list(contest) -> list[Judge]:
    return list(judges_of(contest).select_related("unit"))


@login_required
@require_GET
def certificates(request: HttpRequest, contest_id: int) -> HttpResponse:
    """Certificates as one PDF: every award for staff, a school's own awards for the school."""

    from ..certificates import certificate_rows_for, certificates_download, no_certificates_reason

    contest, roles = access_contest(request.user, contest_id, need=STAFF | {SCHOOL})
    entry = request.GET.get("entry", "")
    rows = certificate_rows_for(
        contest=contest, user=request.user, roles=roles, entry_id=int(entry) if entry.isdigit() else None
    )
    if not rows:
        raise Http404(no_certificates_reason(contest))
    return certificates_download(request, contest, rows)


@login_required
@require_GET
def recommendation_export(request: HttpRequest, contest_id: int) -> HttpResponse:
    from sciweek.core.audit import audit_log

    from ..certificates import recommendation_xlsx

    contest, _roles = access_contest(request.user, contest_id, need=STAFF)
    data = recommendation_xlsx(contest)
    audit_log(actor=request.user, action="contest.recommendation.export", obj=contest)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=recommendation-{contest.pk}.xlsx"
    return response


@login_required
def objections(request: HttpRequest, contest_id: int) -> HttpResponse:
    from ..models import Objection
    from ..publication import objection_answer

    contest, roles = access_contest(request.user, contest_id, need=STAFF)
    if request.method == "POST":
        if ORGANIZER not in roles:
            raise PermissionDenied(_("只有组织单位可以答复异议"))
        obj = Objection.objects.filter(contest=contest, pk=request.POST.get("objection") or 0).first()
        if obj is None:
            raise Http404(_("异议不存在"))
        try:
            objection_answer(objection=obj, answer=request.POST.get("answer", ""), actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已答复。"))
        return redirect("contests:objections", contest.pk)
    from sciweek.core.masking import mask_phone

    rows = list(Objection.objects.filter(contest=contest).select_related("entry").order_by("-created_at"))
    for o in rows:
        o.phone_shown = o.phone if ORGANIZER in roles else mask_phone(o.phone)
    return render(
        request,
        "contests/objections.html",
        {"contest": contest, "rows": rows, "can_manage": ORGANIZER in roles},
    )
