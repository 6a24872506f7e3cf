"""Pages of the records: visits with photos, commissioners' service logs, project applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sciweek.core import clock
from sciweek.core.forms import attach_errors

from .. import services
from ..access import access_enterprise, access_visit, bureau_regions, commissioner_of, records_q
from ..forms import ApplicationForm, LogForm, VisitForm
from ..models import Expert, Photo, ServiceLog
from ..selectors import towns_of


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    enterprise = access_enterprise(request.user, request.GET.get("enterprise"), write=True)
    form = VisitForm(request.POST or None, initial={"date": clock.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            for upload in request.FILES.getlist("photos")[:12]:
                try:
                    services.photo_add(actor=request.user, upload=upload, visit=visit)
                except ValidationError as exc:
                    messages.error(request, "；".join(exc.messages))
            messages.success(request, _("已记录走访。"))
            return redirect("innovation:enterprise", enterprise.pk)
    return render(
        request, "innovation/form.html",
        {"form": form, "title": _("记录走访 · %(name)s") % {"name": enterprise.name}, "back": "innovation:enterprises", "photos": True},
    )  # fmt: skip


@login_required
@require_POST
def visit_photo(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id, write=True)
    try:
        services.photo_add(actor=request.user, upload=request.FILES.get("photo"), visit=visit)
    except (ValidationError, AttributeError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [_("请选择照片。")])))
    return redirect("innovation:enterprise", visit.enterprise_id)


@login_required
@require_safe
def photo(request: HttpRequest, photo_id: int, size: str) -> HttpResponse:
    found = (
        Photo.objects.filter(pk=photo_id).select_related("visit__unit", "log__unit", "log__expert").first()
    )
    if found is None:
        raise Http404
    owner = found.visit or found.log
    visible = records_q(request.user)
    model = type(owner)
    own_log = found.log is not None and found.log.expert.user_id == request.user.pk
    if not own_log and not model.objects.filter(visible, pk=owner.pk).exists():
        raise Http404
    name = found.thumbnail.name if size == "t" else found.file.name
    return FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg" if size == "t" else None)


@login_required
@require_safe
def log_list(request: HttpRequest) -> HttpResponse:
    own = commissioner_of(request.user)
    q = records_q(request.user) | (Q(expert=own) if own else Q(pk__in=[]))
    qs = ServiceLog.objects.filter(q).select_related("expert", "unit")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    can_add = own is not None or bool(bureau_regions(request.user))
    return render(request, "innovation/log_list.html", {"page": page, "can_add": can_add, "own": own})


@login_required
def log_new(request: HttpRequest) -> HttpResponse:
    own = commissioner_of(request.user)
    regions = bureau_regions(request.user)
    if own is not None and not regions:
        experts, region = [own], own.region
    elif regions:
        region = regions[0]
        experts = list(
            Expert.objects.filter(region=region, is_commissioner=True, is_active=True).order_by("name")
        )
    else:
        raise PermissionDenied(_("只有科技特派员本人或主办单位可以记录服务日志"))
    towns = towns_of(region)
    form = LogForm(request.POST or None, experts=experts, towns=towns, initial={"date": clock.localdate()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        expert = next(e for e in experts if str(e.pk) == d.pop("expert"))
        unit = next(t for t in towns if str(t.pk) == d.pop("unit"))
        try:
            log = services.servicelog_create(actor=request.user, expert=expert, unit=unit, **d)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            for upload in request.FILES.getlist("photos")[:12]:
                try:
                    services.photo_add(actor=request.user, upload=upload, log=log)
                except ValidationError as exc:
                    messages.error(request, "；".join(exc.messages))
            messages.success(request, _("已记录服务日志。"))
            return redirect("innovation:logs")
    return render(
        request,
        "innovation/form.html",
        {"form": form, "title": _("记录送技下乡"), "back": "innovation:logs", "photos": True},
    )


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    enterprise = access_enterprise(request.user, request.GET.get("enterprise"), write=True)
    form = ApplicationForm(request.POST or None, initial={"year": clock.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_create(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已记录项目申报。"))
            return redirect("innovation:enterprise", enterprise.pk)
    return render(
        request,
        "innovation/form.html",
        {
            "form": form,
            "title": _("指导项目申报 · %(name)s") % {"name": enterprise.name},
            "back": "innovation:enterprises",
        },
    )
