from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sciweek.campaigns.access import access_campaign
from sciweek.core.forms import attach_errors
from sciweek.orgs.access import access_unit, can_manage_unit, reporting_units
from sciweek.orgs.models import StaffContact
from sciweek.orgs.services import staff_delete, staff_save

from .models import PublicitySubmission
from .services import publicity_save


class PublicityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    headline = forms.CharField(
        label="展板标题", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    body = forms.CharField(
        label="宣传内容", widget=forms.Textarea(attrs={"class": "form-control", "rows": 10})
    )


def _own_unit(request: HttpRequest, unit_id: int):
    """The unit itself (reporter/head) or its organizer may edit; others in scope only read."""
    unit = access_unit(request.user, unit_id)
    if unit not in reporting_units(request.user) and not can_manage_unit(request.user, unit):
        raise PermissionDenied("只有本单位填报员或组织单位可以修改")
    return unit


@login_required
def publicity_edit(request: HttpRequest, campaign_id: int, unit_id: int) -> HttpResponse:
    unit = _own_unit(request, unit_id)
    campaign = access_campaign(request.user, campaign_id)
    sub = PublicitySubmission.objects.filter(campaign=campaign, unit=unit).first()
    initial = {"headline": sub.headline, "body": sub.body, "version": sub.version} if sub else {}
    form = PublicityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publicity_save(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                version=form.cleaned_data["version"],
                headline=form.cleaned_data["headline"],
                body=form.cleaned_data["body"],
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "已报送。" if "submit" in request.POST else "草稿已保存。")
            return redirect("campaigns:my_unit_for", unit.pk)
    return render(
        request,
        "materials/publicity.html",
        {"form": form, "unit": unit, "campaign": campaign, "sub": sub, "staff": unit.staff.all()},
    )


class StaffForm(forms.Form):
    staff_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="姓名", max_length=50, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    mobile = forms.CharField(
        label="手机号",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    position = forms.CharField(
        label="职务", max_length=50, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, widget=forms.EmailInput(attrs={"class": "form-control"})
    )
    is_primary = forms.BooleanField(label="主要联系人", required=False)


@login_required
def staff_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit confirms its contact staff (name + mobile) itself."""
    unit = _own_unit(request, unit_id)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and "delete" in request.POST:
        staff = get_object_or_404(StaffContact, pk=request.POST.get("delete"), unit=unit)
        staff_delete(actor=request.user, staff=staff)
        messages.success(request, "已删除联系人。")
        return redirect("materials:staff", unit.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        staff = get_object_or_404(StaffContact, pk=d["staff_id"], unit=unit) if d["staff_id"] else None
        try:
            staff_save(
                actor=request.user,
                unit=unit,
                staff=staff,
                version=d["version"],
                name=d["name"],
                mobile=d["mobile"],
                position=d["position"],
                email=d["email"],
                is_primary=d["is_primary"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "联系人已保存。")
            return redirect("materials:staff", unit.pk)
    return render(request, "materials/staff.html", {"unit": unit, "form": form, "staff": unit.staff.all()})
