"""Everyone's own pages: the notification centre and reminder preferences."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sciweek.accounts.models import Profile
from sciweek.campaigns.forms import BootstrapMixin

from ..services import notifications_for, notifications_mark_read, preference_of, preference_save

FILTERS = {"unread": "未读", "reminders": "截止提醒", "all": "全部"}


def _filtered(request: HttpRequest):
    qs = notifications_for(request.user)
    show = request.GET.get("show") or "all"
    if show == "unread":
        qs = qs.exclude(read_by=request.user)
    elif show == "reminders":
        qs = qs.filter(title__regex=r"^(提醒：|已逾期：)|仍未完成")
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(body__icontains=q)
    return qs.distinct(), show, q


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    qs, show, q = _filtered(request)
    page = Paginator(qs.order_by("-created_at", "-id"), 20).get_page(request.GET.get("page"))
    ids = [n.pk for n in page]
    read = set(
        notifications_for(request.user).filter(pk__in=ids, read_by=request.user).values_list("pk", flat=True)
    )
    return render(
        request,
        "reminders/notifications.html",
        {"page": page, "read": read, "show": show, "q": q, "filters": FILTERS},
    )


@login_required
@require_POST
def notification_mark(request: HttpRequest) -> HttpResponse:
    if request.POST.get("all"):
        n = notifications_mark_read(user=request.user)
        messages.success(request, (_("已将%(n)s条通知标为已读。") % {"n": n}))
    else:
        try:
            ids = [int(i) for i in request.POST.getlist("id")][:200]
        except ValueError:
            ids = []
        notifications_mark_read(user=request.user, ids=ids)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "reminders:notifications")


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read and go to what it is about."""
    n = notifications_for(request.user).filter(pk=notification_id).first()
    if n is None:
        raise Http404(_("通知不存在"))
    notifications_mark_read(user=request.user, ids=[n.pk])
    link = n.link if n.link.startswith("/") and not n.link.startswith("//") else ""
    return redirect(link or "reminders:notifications")


class PreferenceForm(BootstrapMixin, forms.Form):
    email = forms.BooleanField(label=gettext_lazy("电子邮件提醒"), required=False)
    sms = forms.BooleanField(label=gettext_lazy("短信提醒"), required=False)
    quiet_start = forms.TimeField(
        label=gettext_lazy("免打扰开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=gettext_lazy("免打扰结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    daily_cap = forms.IntegerField(
        label=gettext_lazy("每日最多提醒条数（邮件和短信合计）"), min_value=1, max_value=50
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref = preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                preference_save(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, _("提醒设置已保存。"))
                return redirect("reminders:preferences")
    else:
        form = PreferenceForm(
            initial={
                "email": pref.email,
                "sms": pref.sms,
                "quiet_start": pref.quiet_start or dt.time(22),
                "quiet_end": pref.quiet_end or dt.time(8),
                "daily_cap": pref.daily_cap,
            }
        )
    mobile = Profile.objects.filter(user=request.user).values_list("mobile", flat=True).first() or ""
    return render(
        request,
        "reminders/preferences.html",
        {"form": form, "email_address": request.user.email, "mobile": mobile},
    )
