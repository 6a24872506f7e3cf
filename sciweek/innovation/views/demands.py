"""Pages of technology demands: list, form, detail with the pipeline, ranked matches and confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sciweek.core.forms import attach_errors, posted_version
from sciweek.orgs.access import can_manage_unit, can_view_unit

from .. import services
from ..access import access_demand, access_enterprise, can_write_for
from ..choices import Field, Status
from ..forms import DemandForm, StatusForm
from ..matching import suggestions
from ..selectors import demands_for

CONFIRMABLE = {Status.MATCHING, Status.DIAGNOSIS, Status.CONNECTING, Status.SIGNED, Status.TRACKING}
FORM_FIELDS = (
    "title",
    "field",
    "demand_type",
    "description",
    "targets",
    "benchmark",
    "coop_mode",
    "budget",
    "wanted_by",
    "is_secret",
)


@login_required
@require_safe
def demand_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "") if request.GET.get("status") in Status.values else ""
    field = request.GET.get("field", "") if request.GET.get("field") in Field.values else ""
    qs = demands_for(request.user, status=status, field=field, unit_id=request.GET.get("unit"))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "innovation/demand_list.html",
        {"page": page, "statuses": Status.choices, "fields": Field.choices, "status": status, "field": field},
    )  # fmt: skip


def _demand_form(request: HttpRequest, *, enterprise=None, demand=None) -> HttpResponse:
    initial = {k: getattr(demand, k) for k in FORM_FIELDS} | {"version": demand.version} if demand else {}
    form = DemandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = {k: form.cleaned_data[k] for k in FORM_FIELDS}
        try:
            if demand is None:
                demand = services.demand_create(actor=request.user, enterprise=enterprise, **d)
            else:
                demand = services.demand_update(
                    actor=request.user, demand=demand, version=form.cleaned_data["version"], **d
                )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存技术需求「%(title)s」。") % {"title": demand.title})
            return redirect("innovation:demand", demand.pk)
    owner = enterprise or demand.enterprise
    title = (
        _("登记技术需求 · %(name)s") % {"name": owner.name}
        if demand is None
        else _("修改技术需求：%(title)s") % {"title": demand.title}
    )
    return render(
        request,
        "innovation/form.html",
        {"form": form, "title": title, "back": "innovation:demands", "form_id": "demand-form"},
    )


@login_required
def demand_new(request: HttpRequest) -> HttpResponse:
    enterprise = access_enterprise(request.user, request.GET.get("enterprise"), write=True)
    return _demand_form(request, enterprise=enterprise)


@login_required
def demand_edit(request: HttpRequest, demand_id: int) -> HttpResponse:
    return _demand_form(request, demand=access_demand(request.user, demand_id, write=True))


@login_required
@require_safe
def demand_detail(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = access_demand(request.user, demand_id, matched=True)
    steps = services.allowed_steps(request.user, demand)
    form = StatusForm(initial={"version": demand.version, "to": steps[0] if steps else ""})
    form.fields["to"].choices = [(s, Status(s).label) for s in steps]
    if Status.SIGNED not in steps:  # the contract's fields only where the next step is signing
        del form.fields["contract_amount"], form.fields["contract_number"]
    return render(
        request, "innovation/demand_detail.html",
        {
            "d": demand, "steps": steps, "form": form, "changes": demand.changes.all(),
            "matches": demand.matches.select_related("expert", "partner"),
            "can_write": can_write_for(request.user, demand.unit), "is_bureau": can_manage_unit(request.user, demand.unit),
            # A matched expert reads the demand alone: the enterprise's page and the suggestions are the town's.
            "in_scope": can_view_unit(request.user, demand.unit),
            "pipeline": [(s, label) for s, label in Status.choices if s != Status.CLOSED],
        },
    )  # fmt: skip


@login_required
@require_POST
def demand_status(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = access_demand(request.user, demand_id, write=True)
    form = StatusForm(request.POST)
    form.fields["to"].choices = Status.choices
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.demand_set_status(
                actor=request.user, demand=demand, to=d["to"], version=d["version"], note=d["note"],
                contract_amount=d["contract_amount"], contract_number=d["contract_number"],
            )  # fmt: skip
            messages.success(request, _("需求已改为「%(status)s」。") % {"status": Status(d["to"]).label})
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    else:
        messages.error(request, _("请检查填写的内容。"))
    return redirect("innovation:demand", demand.pk)


@login_required
@require_POST
def demand_publish(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = access_demand(request.user, demand_id)
    if not can_manage_unit(request.user, demand.unit):
        raise PermissionDenied(_("只有主办单位可以发布技术需求"))
    try:
        services.demand_publish(
            actor=request.user,
            demand=demand,
            publish=request.POST.get("publish") == "1",
            version=posted_version(request),
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("innovation:demand", demand.pk)


@login_required
@require_safe
def demand_matches(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = access_demand(request.user, demand_id)
    return render(
        request, "innovation/matches.html",
        {
            "d": demand,
            "suggestions": suggestions(demand),
            # Confirming needs the bureau and a demand between 匹配 and 跟踪 (services.match_confirm says why).
            "can_confirm": can_manage_unit(request.user, demand.unit) and demand.status in CONFIRMABLE,
        },
    )  # fmt: skip


@login_required
@require_POST
def match_confirm(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = access_demand(request.user, demand_id)
    if not can_manage_unit(request.user, demand.unit):
        raise PermissionDenied(_("只有主办单位可以确认匹配"))
    kind, target = request.POST.get("kind", ""), request.POST.get("id", "")
    found = {(s.kind, str(s.id)): s for s in suggestions(demand, limit=100)}.get((kind, target))
    try:
        services.match_confirm(
            actor=request.user, demand=demand, kind=kind, target_id=int(target) if target.isdigit() else 0,
            score=found.score if found else 0, reasons=found.reasons if found else ["主办单位直接指定"],
        )  # fmt: skip
        messages.success(
            request, _("已确认匹配%(name)s，已通知企业所在镇和专家。") % {"name": found.name if found else ""}
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("innovation:matches", demand.pk)
