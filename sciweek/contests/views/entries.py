"""Entries: a school lists and enters its own; the organizer sees every school's."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..access import ORGANIZER, SCHOOL, VIEWER, access_contest, schools_of
from ..entries import EntryIn, StudentIn, entry_create, signup_closed
from ..models import Category, EntryFile, SchoolStage
from ..publication import announced

MAX_ROWS = 3


@login_required
@require_GET
def entry_list(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, roles = access_contest(request.user, contest_id, need={ORGANIZER, VIEWER, SCHOOL})
    entries = contest.entries.select_related("category", "school").prefetch_related("students")
    if not roles & {ORGANIZER, VIEWER}:
        entries = entries.filter(school__in=schools_of(request.user, contest))  # a school: its own only
    closed = signup_closed(contest)
    return render(
        request,
        "contests/entries.html",
        {
            "contest": contest,
            "entries": entries,
            "can_enter": SCHOOL in roles and closed is None,
            "signup_closed": closed if SCHOOL in roles else None,
            "staff": bool(roles & {ORGANIZER, VIEWER}),
            "announced": announced(contest),
        },
    )


def _students(post) -> list[StudentIn]:
    out = []
    for i in range(MAX_ROWS + 1):
        name = post.get(f"s{i}_name", "").strip()
        if not name:
            continue
        age = post.get(f"s{i}_age", "").strip()
        out.append(
            StudentIn(
                name,
                post.get(f"s{i}_grade", "").strip(),
                post.get(f"s{i}_stage", ""),
                int(age) if age.isdigit() else None,
            )
        )
    return out


@login_required
def entry_new(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest, roles = access_contest(request.user, contest_id, need={SCHOOL})
    schools = schools_of(request.user, contest)
    school = schools[0]
    if closed := signup_closed(contest):  # the form, and what it posts, only during 报名
        messages.error(request, closed)
        return redirect("contests:entries", contest.pk)
    cats = list(contest.categories.all())
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if len(schools) > 1:
            school = next((s for s in schools if str(s.pk) == request.POST.get("school")), None)
            if school is None:
                raise PermissionDenied(_("只能为本校学生报名"))
        cat = next((c for c in cats if str(c.pk) == request.POST.get("category")), None)
        if cat is None:
            errors = {"category": [_("请选择参赛类别。")]}
        else:
            completed = request.POST.get("completed_on", "")
            try:
                completed_on = dt.date.fromisoformat(completed) if completed else None
            except ValueError:
                completed_on, errors = None, {"completed_on": [_("日期格式应为 2023-05-01。")]}
            students = _students(request.POST)
            data = EntryIn(
                category=cat,
                title=request.POST.get("title", ""),
                abstract=request.POST.get("abstract", ""),
                discipline=request.POST.get("discipline", ""),
                collective=len(students) > 1,
                students=students,
                tutors=[t for t in request.POST.get("tutors", "").replace("，", ",").split(",") if t.strip()],
                completed_on=completed_on,
            )
            files = {
                k: request.FILES.getlist(f"file_{k}")
                for k in EntryFile.Kind.values
                if request.FILES.getlist(f"file_{k}")
            }
            if not errors:
                try:
                    entry = entry_create(
                        contest=contest, school=school, data=data, files=files, actor=request.user
                    )
                except ValidationError as exc:
                    errors = exc.message_dict
                else:
                    messages.success(request, _("已报名「%(title)s」。") % {"title": entry.title})
                    return redirect("contests:entries", contest.pk)
    return render(
        request,
        "contests/entry_form.html",
        {
            "contest": contest,
            "categories": cats,
            "schools": schools,
            "school": school,
            "errors": errors,
            "post": request.POST,
            "rows": range(MAX_ROWS + 1),
            "stages": SchoolStage.choices,
            "file_kinds": EntryFile.Kind.choices,
            "kinds": Category.Kind,
        },
        status=400 if errors else 200,
    )
