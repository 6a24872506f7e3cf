"""The unit tree and the changes to it: add a child, edit, move, merge, deactivate / reactivate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from sciweek.core.forms import attach_errors

from .. import services
from ..access import can_manage_unit
from ..forms import ChildUnitForm, TargetForm, UnitForm, unit_choices
from ..merge import merge_conflicts, merge_summary
from ..models import OrgUnit, OrgUnitAlias, UnitKind
from .common import bureau_unit, crumbs, is_own_region, managed_units, require_bureau, subtree_q


@dataclass
class Token:
    kind: str  # "open" (a node with children follows), "leaf", "close"
    unit: OrgUnit | None = None
    open: bool = False


def tree_tokens(units: list[OrgUnit], *, open_depth: int) -> list[Token]:
    """Units in path order as open / leaf / close tokens, so the template nests <details> without recursion."""
    tokens: list[Token] = []
    stack: list[OrgUnit] = []
    for i, unit in enumerate(units):
        while stack and not unit.path.startswith(stack[-1].path):
            stack.pop()
            tokens.append(Token("close"))
        following = units[i + 1] if i + 1 < len(units) else None
        if following is not None and following.path.startswith(unit.path):
            tokens.append(Token("open", unit, open=unit.depth <= open_depth))
            stack.append(unit)
        else:
            tokens.append(Token("leaf", unit))
    tokens += [Token("close") for _ in stack]
    return tokens


def _given(unit: OrgUnit | None) -> OrgUnit:
    """The unit a valid form chose (the write runs only when there is one)."""
    if unit is None:
        raise ValueError("no unit chosen")
    return unit


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = require_bureau(request)
    q = (request.GET.get("q") or "").strip()[:50]
    units = OrgUnit.objects.filter(subtree_q(roots)).order_by("path").annotate(staff_count=Count("staff"))
    if q:
        units = units.filter(
            Q(name__icontains=q)
            | Q(short_name__icontains=q)
            | Q(code__icontains=q)
            | Q(aliases__name__icontains=q)
        ).distinct()
    units = list(units)
    # Computed once here: per-unit {% url %}, get_kind_display and prefetch querysets dominate a big tree's render.
    aliases: dict[int, list[str]] = {}
    for unit_id, name in OrgUnitAlias.objects.filter(unit__in=[u.pk for u in units]).values_list(
        "unit_id", "name"
    ):
        aliases.setdefault(unit_id, []).append(name)
    base, kinds = reverse("orgs:tree"), dict(UnitKind.choices)
    for u in units:
        u.url, u.kind_label = f"{base}{u.pk}/", str(kinds.get(u.kind, u.kind))
        u.alias_text = "、".join(aliases.get(u.pk, []))
    manage = {u.pk for u in units if can_manage_unit(request.user, u)}
    own = {u.pk for u in units if is_own_region(request.user, u)}
    context = {
        "q": q,
        "units": units,
        "manage": manage,
        "own": own,
        "can_manage_any": bool(manage),
        "count": len(units),
        "sample_count": sum(u.is_sample for u in units),
    }
    if q:
        parents = {u.path: u.name for u in OrgUnit.objects.filter(subtree_q(roots)).only("path", "name")}
        context["results"] = [(u, parents.get(u.path[: -OrgUnit.steplen], "")) for u in units]
    else:
        context["tokens"] = tree_tokens(units, open_depth=min(u.depth for u in roots) + 1)
    return render(request, "orgs/tree.html", context)


def _unit_url(unit: OrgUnit) -> str:
    return reverse("orgs:unit", args=[unit.pk])


@login_required
def unit_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    parent = bureau_unit(request, unit_id, manage=True)
    form = ChildUnitForm(request.POST or None, initial={"kind": "department"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=request.user,
                parent=parent,
                name=d["name"],
                kind=d["kind"],
                code=d["code"],
                short_name=d["short_name"],
                aliases=form.alias_list(),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                (
                    gettext("已在「%(name)s」下添加「%(name2)s」。")
                    % {"name": parent.name, "name2": unit.name}
                ),
            )
            return redirect(_unit_url(unit))
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "unit": parent, "title": "添加下级单位", "crumbs": crumbs(request.user, parent)},
    )


@login_required
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = bureau_unit(request, unit_id, manage=True)
    initial = {
        "name": unit.name,
        "kind": unit.kind,
        "short_name": unit.short_name,
        "version": unit.version,
        "aliases": "\n".join(a.name for a in unit.aliases.all()),
    }
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            unit = services.unit_update(
                actor=request.user,
                unit=unit,
                version=d["version"],
                name=d["name"],
                kind=d["kind"],
                short_name=d["short_name"],
                aliases=form.alias_list(),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, (gettext("已保存「%(name)s」。") % {"name": unit.name}))
            return redirect(_unit_url(unit))
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "unit": unit, "title": "编辑单位", "crumbs": crumbs(request.user, unit)},
    )


def _targets(request: HttpRequest, unit: OrgUnit) -> list[OrgUnit]:
    """Units the organizer manages, minus the unit itself and its descendants."""
    return [u for u in managed_units(request.user) if not u.path.startswith(unit.path)]


def _changeable(request: HttpRequest, unit_id: int, what: str) -> OrgUnit:
    """A unit the organizer manages and may move, merge or deactivate: never their own region."""
    unit = bureau_unit(request, unit_id, manage=True)
    if is_own_region(request.user, unit):
        raise PermissionDenied(
            gettext("「%(name)s」是您所在的组织区域，不能%(what)s。") % {"name": unit.name, "what": what}
        )
    return unit


def _tree_change(
    request: HttpRequest,
    *,
    run: bool,
    write: Callable[[], OrgUnit],
    done: Callable[[OrgUnit], str],
    template: str,
    context: Callable[[], dict[str, Any]],
    form: forms.Form | None = None,
) -> HttpResponse:
    """The shape move, merge and (de)activate share: when `run` (a valid POST), call `write`; on success
    say `done(unit)` and go to the unit it returns; on a refusal show the page again with the service's
    message, by field on `form` or as `error` on a page without a form."""
    error = ""
    if run:
        try:
            changed = write()
        except ValidationError as exc:
            if form is not None:
                attach_errors(form, exc)
            else:
                error = "；".join(exc.messages)
        else:
            messages.success(request, done(changed))
            return redirect(_unit_url(changed))
    page = context()
    if form is None:
        page["error"] = error
    return render(request, template, page)


def _chosen(form: TargetForm) -> OrgUnit | None:
    """The unit picked in a submitted, valid target form (its choices are the organizer's own units)."""
    if not form.is_valid():
        return None
    return OrgUnit.objects.get(pk=int(form.cleaned_data["target"]))


@login_required
def unit_move(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _changeable(request, unit_id, "移动")
    targets, parent = _targets(request, unit), unit.get_parent()
    choices = unit_choices(
        [t for t in targets if not parent or t.pk != parent.pk],
        base_depth=min((t.depth for t in targets), default=1),
    )
    form = TargetForm(
        request.POST or None,
        choices=choices,
        target_label="移到此单位之下",
        initial={"version": unit.version},
    )
    new_parent = _chosen(form)
    return _tree_change(
        request,
        run=new_parent is not None,
        write=lambda: services.unit_move(
            actor=request.user, unit=unit, new_parent=_given(new_parent), version=form.cleaned_data["version"]
        ),
        done=lambda moved: f"已把「{moved.name}」移到「{new_parent.name}」之下。",
        template="orgs/unit_move.html",
        context=lambda: {"form": form, "unit": unit, "parent": parent, "crumbs": crumbs(request.user, unit)},
        form=form,
    )


@login_required
def unit_merge(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Step 1 (GET): pick the target. Step 2 (GET ?target=): what will move, conflicts. Step 3 (POST): merge."""
    source = _changeable(request, unit_id, "合并到其他单位")
    targets = _targets(request, source)
    choices = unit_choices(targets, base_depth=min((t.depth for t in targets), default=1))
    data = request.POST if request.method == "POST" else (request.GET if "target" in request.GET else None)
    form = TargetForm(data, choices=choices, target_label="合并到")
    target = _chosen(form)

    def context() -> dict[str, Any]:
        page: dict[str, Any] = {"form": form, "unit": source, "crumbs": crumbs(request.user, source)}
        if target is not None:
            page |= {
                "target": target,
                "summary": merge_summary(source),
                "conflicts": merge_conflicts(source, target),
            }
        return page

    return _tree_change(
        request,
        run=target is not None and request.method == "POST",
        write=lambda: services.unit_merge(actor=request.user, source=source, target=_given(target)),
        done=lambda kept: f"已把「{source.name}」合并到「{kept.name}」，原名称已成为别名。",
        template="orgs/unit_merge.html",
        context=context,
        form=form,
    )


@login_required
def unit_active(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _changeable(request, unit_id, "停用")
    active, version = request.POST.get("active") == "1", _int(request.POST.get("version"))
    return _tree_change(
        request,
        run=request.method == "POST",
        write=lambda: services.unit_set_active(actor=request.user, unit=unit, active=active, version=version),
        done=lambda changed: f"已{'启用' if active else '停用'}「{changed.name}」。",
        template="orgs/unit_active.html",
        context=lambda: {
            "unit": unit,
            "active_children": OrgUnit.objects.filter(path__startswith=unit.path, is_active=True)
            .exclude(pk=unit.pk)
            .count(),
            "crumbs": crumbs(request.user, unit),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
