"""Pages of the registries: enterprises (town or bureau), experts and 科技特派员 (bureau)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sciweek.core.forms import attach_errors
from sciweek.core.masking import mask_phone
from sciweek.orgs.access import can_manage_unit

from .. import services
from ..access import access_enterprise, access_expert, can_write_for, region_for
from ..choices import DIVISIONS, SECTIONS
from ..forms import EnterpriseForm, ExpertForm
from ..models import Expert
from ..selectors import enterprises_for, towns_of, writable_units


@login_required
@require_safe
def enterprise_list(request: HttpRequest) -> HttpResponse:
    qs = enterprises_for(
        request.user, q=request.GET.get("q", "").strip()[:50], unit_id=request.GET.get("unit")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    units = writable_units(request.user)
    return render(
        request,
        "innovation/enterprise_list.html",
        {"page": page, "can_add": bool(units), "q": request.GET.get("q", "")},
    )


def _enterprise_form(request: HttpRequest, enterprise=None) -> HttpResponse:
    units = writable_units(request.user) if enterprise is None else [enterprise.unit]
    if not units:
        raise PermissionDenied(_("您不能登记企业"))
    initial = {}
    if enterprise is not None:
        c = enterprise.contacts.first()
        initial = {
            "unit": enterprise.unit_id, "name": enterprise.name, "credit_code": enterprise.credit_code,
            "section": enterprise.section, "division": enterprise.division, "size": enterprise.size,
            "qualifications": enterprise.qualifications, "address": enterprise.address,
            "main_products": enterprise.main_products, "version": enterprise.version,
            "contact_name": c.name if c else "", "contact_position": c.position if c else "", "contact_phone": c.phone if c else "",
        }  # fmt: skip
    form = EnterpriseForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {
            k: d[k]
            for k in ("name", "section", "division", "size", "qualifications", "address", "main_products")
        }
        try:
            if enterprise is None:
                unit = next(u for u in units if str(u.pk) == d["unit"])
                enterprise = services.enterprise_create(
                    actor=request.user,
                    unit=unit,
                    credit_code=d["credit_code"],
                    contacts=form.contacts(),
                    **fields,
                )
            else:
                enterprise = services.enterprise_update(
                    actor=request.user, enterprise=enterprise, version=d["version"], credit_code=d["credit_code"],
                    contacts=form.contacts(), **fields,
                )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存企业「%(name)s」。") % {"name": enterprise.name})
            return redirect("innovation:enterprise", enterprise.pk)
    title = _("登记企业") if enterprise is None else _("修改企业：%(name)s") % {"name": enterprise.name}
    return render(
        request, "innovation/form.html", {"form": form, "title": title, "back": "innovation:enterprises"}
    )


@login_required
def enterprise_new(request: HttpRequest) -> HttpResponse:
    return _enterprise_form(request)


@login_required
def enterprise_edit(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    return _enterprise_form(request, access_enterprise(request.user, enterprise_id, write=True))


@login_required
@require_safe
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    e = access_enterprise(request.user, enterprise_id)
    full = can_write_for(request.user, e.unit)
    contacts = [(c, c.phone if full else mask_phone(c.phone)) for c in e.contacts.all()]
    return render(
        request,
        "innovation/enterprise_detail.html",
        {
            "e": e, "contacts": contacts, "can_write": full,
            "section": SECTIONS.get(e.section, ("",))[0], "division": DIVISIONS.get(e.division, ""),
            "demands": e.demands.order_by("-updated_at"), "visits": e.visits.prefetch_related("photos"),
            "applications": e.applications.order_by("-year", "-id"),
        },
    )  # fmt: skip


@login_required
@require_safe
def expert_list(request: HttpRequest) -> HttpResponse:
    region = region_for(request.user, request.GET.get("region"))
    qs = (
        Expert.objects.filter(region=region, is_active=True)
        .prefetch_related("service_towns")
        .order_by("-is_commissioner", "name")
    )
    if request.GET.get("commissioners"):
        qs = qs.filter(is_commissioner=True)
    if q := request.GET.get("q", "").strip()[:50]:
        qs = (
            qs.filter(name__icontains=q)
            | qs.filter(discipline__icontains=q)
            | qs.filter(organization__icontains=q)
        )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "innovation/expert_list.html", {"page": page, "region": region, "q": q})


@login_required
def expert_new(request: HttpRequest) -> HttpResponse:
    region = region_for(request.user, request.GET.get("region"))
    if not can_manage_unit(request.user, region):
        raise Http404
    towns = towns_of(region)
    form = ExpertForm(request.POST or None, towns=towns)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            expert = services.expert_create(
                actor=request.user, region=region, name=d["name"], organization=d["organization"],
                org_kind=d["org_kind"], title=d["title"], discipline=d["discipline"], keywords=d["keywords"],
                is_commissioner=d["is_commissioner"], phone=d["phone"],
                service_towns=[t for t in towns if str(t.pk) in d["service_towns"]],
            )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已添加专家「%(name)s」。") % {"name": expert.name})
            return redirect("innovation:experts")
    return render(
        request,
        "innovation/form.html",
        {"form": form, "title": _("添加专家 / 科技特派员"), "back": "innovation:experts"},
    )


@login_required
def expert_edit(request: HttpRequest, expert_id: int) -> HttpResponse:
    expert = access_expert(request.user, expert_id, manage=True)
    towns = towns_of(expert.region)
    initial = {
        "name": expert.name, "organization": expert.organization, "org_kind": expert.org_kind, "title": expert.title,
        "discipline": expert.discipline, "keywords": "、".join(expert.keywords), "is_commissioner": expert.is_commissioner,
        "service_towns": [str(t.pk) for t in expert.service_towns.all()], "phone": expert.phone, "version": expert.version,
    }  # fmt: skip
    form = ExpertForm(request.POST or None, towns=towns, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        chosen = d.pop("service_towns")
        version = d.pop("version")
        try:
            services.expert_update(
                actor=request.user, expert=expert, version=version,
                service_towns=[t for t in towns if str(t.pk) in chosen], **d,
            )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存专家「%(name)s」。") % {"name": d["name"]})
            return redirect("innovation:experts")
    return render(
        request,
        "innovation/form.html",
        {
            "form": form,
            "title": _("修改专家：%(name)s") % {"name": expert.name},
            "back": "innovation:experts",
        },
    )
