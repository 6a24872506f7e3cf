"""Pages of the records: visits with photos, commissioners' service logs, project applications.

Each record is edited on the version its form was loaded with (someone who saved since is not overwritten:
the form says so) and deleted on the version its list showed, after a confirmation; who may do it is
innovation/access.py's (a town its own visits and applications, a commissioner their own logs, the bureau
everything below it), checked here on the server whatever the page showed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sciweek.core import clock
from sciweek.core.forms import attach_errors, posted_version
from sciweek.orgs.access import can_manage_unit

from .. import services
from ..access import (
    access_application,
    access_enterprise,
    access_log,
    access_visit,
    bureau_regions,
    commissioner_of,
    records_q,
)
from ..forms import ApplicationEditForm, ApplicationForm, LogEditForm, LogForm, VisitEditForm, VisitForm
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
    # The same rule as access_log(write=True): the commissioner, or the bureau over the town.
    editable = {
        log.pk
        for log in page
        if log.expert.user_id == request.user.pk or can_manage_unit(request.user, log.unit)
    }
    return render(
        request,
        "innovation/log_list.html",
        {"page": page, "can_add": can_add, "own": own, "editable": editable},
    )


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


def _edit_page(request: HttpRequest, form, *, title: str, back: str, delete_url: str, record) -> HttpResponse:
    return render(
        request,
        "innovation/form.html",
        {
            "form": form,
            "title": title,
            "back_url": back,
            "delete_url": delete_url,
            "version": record.version,
            "form_id": "record-edit-form",
        },
    )


def _saved(request: HttpRequest, form, save, *, done: str) -> bool:
    """On a valid POST run ``save(version, fields)``; a refusal (stale version, bad value) goes onto the
    form. True once saved (the caller redirects)."""
    if request.method != "POST" or not form.is_valid():
        return False
    fields = dict(form.cleaned_data)
    version = fields.pop("version") or 0
    try:
        save(version, fields)
    except ValidationError as exc:
        attach_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def _deleted(request: HttpRequest, delete, *, back: str, done: str) -> HttpResponse:
    """Run ``delete(version)`` on the version the page showed; a stale or missing one is said, not a 500."""
    version = posted_version(request)
    try:
        if version is None:  # a delete is never made blind (the API's version is required too)
            raise ValidationError(_("请刷新页面后再删除。"))
        delete(version)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(back)


@login_required
def visit_edit(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id, write=True)
    back = reverse("innovation:enterprise", args=[visit.enterprise_id])
    initial = {
        "date": visit.date, "visitors": visit.visitors, "findings": visit.findings,
        "demands_raised": visit.demands_raised, "contact_confirmed": visit.contact_confirmed,
        "confirmed_by_name": visit.confirmed_by_name, "version": visit.version,
    }  # fmt: skip
    form = VisitEditForm(request.POST or None, initial=initial)
    if _saved(
        request,
        form,
        lambda version, d: services.visit_update(actor=request.user, visit=visit, version=version, **d),
        done=_("已保存走访记录。"),
    ):
        return redirect(back)
    return _edit_page(
        request, form, title=_("修改走访记录 · %(name)s") % {"name": visit.enterprise.name}, back=back,
        delete_url=reverse("innovation:visit_delete", args=[visit.pk]), record=visit,
    )  # fmt: skip


@login_required
@require_POST
def visit_delete(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id, write=True)
    return _deleted(
        request,
        lambda version: services.visit_delete(actor=request.user, visit=visit, version=version),
        back=reverse("innovation:enterprise", args=[visit.enterprise_id]),
        done=_("已删除走访记录。"),
    )


@login_required
def log_edit(request: HttpRequest, service_log_id: int) -> HttpResponse:
    log = access_log(request.user, service_log_id, write=True)
    back = reverse("innovation:logs")
    initial = {
        "date": log.date, "place_kind": log.place_kind, "place": log.place, "kind": log.kind,
        "people_served": log.people_served, "hours": log.hours, "topics": log.topics, "event_id": log.event_id,
        "version": log.version,
    }  # fmt: skip
    form = LogEditForm(request.POST or None, initial=initial)
    if _saved(
        request,
        form,
        lambda version, d: services.servicelog_update(actor=request.user, log=log, version=version, **d),
        done=_("已保存服务日志。"),
    ):
        return redirect(back)
    title = _("修改服务日志 · %(name)s · %(unit)s") % {"name": log.expert.name, "unit": log.unit.name}
    return _edit_page(
        request, form, title=title, back=back, delete_url=reverse("innovation:log_delete", args=[log.pk]), record=log
    )  # fmt: skip


@login_required
@require_POST
def log_delete(request: HttpRequest, service_log_id: int) -> HttpResponse:
    log = access_log(request.user, service_log_id, write=True)
    return _deleted(
        request,
        lambda version: services.servicelog_delete(actor=request.user, log=log, version=version),
        back=reverse("innovation:logs"),
        done=_("已删除服务日志。"),
    )


@login_required
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    app = access_application(request.user, application_id, write=True)
    back = reverse("innovation:enterprise", args=[app.enterprise_id])
    initial = {
        "programme": app.programme, "level": app.level, "year": app.year, "status": app.status,
        "amount": app.amount, "guided_by": app.guided_by, "version": app.version,
    }  # fmt: skip
    form = ApplicationEditForm(request.POST or None, initial=initial)
    if _saved(
        request,
        form,
        lambda version, d: services.application_update(
            actor=request.user, application=app, version=version, **d
        ),
        done=_("已保存项目申报记录。"),
    ):
        return redirect(back)
    return _edit_page(
        request, form, title=_("修改项目申报 · %(name)s") % {"name": app.enterprise.name}, back=back,
        delete_url=reverse("innovation:application_delete", args=[app.pk]), record=app,
    )  # fmt: skip


@login_required
@require_POST
def application_delete(request: HttpRequest, application_id: int) -> HttpResponse:
    app = access_application(request.user, application_id, write=True)
    return _deleted(
        request,
        lambda version: services.application_delete(actor=request.user, application=app, version=version),
        back=reverse("innovation:enterprise", args=[app.enterprise_id]),
        done=_("已删除项目申报记录。"),
    )
