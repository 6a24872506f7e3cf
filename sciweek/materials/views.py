"""A unit's publicity page (text, photos, board size) and its staff list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sciweek.campaigns.access import access_campaign
from sciweek.core.forms import attach_errors, posted_version
from sciweek.orgs.access import can_view_unit, is_bureau_member
from sciweek.orgs.models import StaffContact
from sciweek.orgs.services import staff_delete, staff_save

from .access import access_own_unit
from .boards.sizes import size_choices, template_choices
from .models import PublicityImage, PublicitySubmission
from .publicity.images import (
    MAX_IMAGES,
    MIN_IMAGES,
    image_warnings,
    publicity_add_image,
    publicity_remove_image,
    publicity_set_logo,
)
from .services import publicity_save, publicity_submit

BODY_HELP = gettext_lazy(
    "纯文字，换行分段；一行写成【小标题】或以“# ”开头为小标题，以“- ”开头为要点。不支持网页代码。"
)


class PublicityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    headline = forms.CharField(
        label=gettext_lazy("展板标题"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    body = forms.CharField(
        label=gettext_lazy("宣传内容"),
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 12}),
    )
    board_size = forms.ChoiceField(
        label=gettext_lazy("展板尺寸"),
        required=False,
        choices=size_choices(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("版式"),
        required=False,
        choices=template_choices(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _own_unit(request: HttpRequest, unit_id: int):
    return access_own_unit(request.user, unit_id)


def _upload_all(request: HttpRequest, sub: PublicitySubmission) -> list[str]:
    errors = []
    if request.FILES.get("logo"):
        try:
            publicity_set_logo(actor=request.user, submission=sub, upload=request.FILES["logo"])
            sub.refresh_from_db()
        except ValidationError as exc:
            errors.extend(exc.messages)
    for upload in request.FILES.getlist("images"):
        try:
            publicity_add_image(actor=request.user, submission=sub, upload=upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    return errors


@login_required
def publicity_edit(request: HttpRequest, campaign_id: int, unit_id: int) -> HttpResponse:
    unit = _own_unit(request, unit_id)
    campaign = access_campaign(request.user, campaign_id)
    sub = PublicitySubmission.objects.filter(campaign=campaign, unit=unit).first()
    initial = {"board_size": "rollup", "layout": "classic"}
    if sub:
        initial = {f: getattr(sub, f) for f in ("headline", "body", "version", "board_size", "layout")}
    form = PublicityForm(request.POST or None, initial=initial)
    if request.method == "POST" and "remove_image" in request.POST and sub:
        image = get_object_or_404(PublicityImage, pk=request.POST["remove_image"], submission=sub)
        try:
            publicity_remove_image(actor=request.user, image=image, version=posted_version(request))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("materials:publicity", campaign.pk, unit.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        captions = {
            int(k.split("_", 1)[1]): v
            for k, v in request.POST.items()
            if k.startswith("caption_") and k[8:].isdigit()
        }
        wants_submit = "submit" in request.POST
        try:
            sub = publicity_save(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                version=d["version"],
                headline=d["headline"],
                body=d["body"],
                submit=False,
                board_size=d["board_size"] or None,
                layout=d["layout"] or None,
                captions=captions,
            )
            upload_errors = _upload_all(request, sub)
            if upload_errors:
                raise ValidationError({"images": upload_errors})
            if wants_submit:
                sub.refresh_from_db()
                publicity_submit(actor=request.user, submission=sub, version=sub.version)
        except ValidationError as exc:
            attach_errors(form, exc)
            sub = PublicitySubmission.objects.filter(campaign=campaign, unit=unit).first()
            if sub:  # the draft was saved: the next save must carry its new version
                form.data = form.data.copy()
                form.data["version"] = sub.version
        else:
            messages.success(request, _("已报送，等待组织单位审核。") if wants_submit else _("草稿已保存。"))
            return redirect("materials:publicity", campaign.pk, unit.pk)
    images = list(sub.images.all()) if sub else []
    warnings = image_warnings(sub, images) if sub else {}
    return render(
        request,
        "materials/publicity.html",
        {
            "form": form,
            "unit": unit,
            "campaign": campaign,
            "sub": sub,
            "staff": unit.staff.all(),
            "images": [(i, warnings.get(i.pk, "")) for i in images],
            "min_images": MIN_IMAGES,
            "max_images": MAX_IMAGES,
            "editable": sub is None or sub.editable,
        },
    )


@login_required
@require_GET
def publicity_image(request: HttpRequest, image_id: int) -> FileResponse:
    """A publicity photo for its unit and the bureau over it (?thumb=1 for the thumbnail)."""
    img = get_object_or_404(PublicityImage.objects.select_related("submission__unit"), pk=image_id)
    unit = img.submission.unit
    if not (can_view_unit(request.user, unit) or is_bureau_member(request.user, unit)):
        raise Http404(_("图片不存在"))
    name = img.thumbnail.name if request.GET.get("thumb") and img.thumbnail else img.file.name
    if request.GET.get("logo"):
        name = img.submission.logo.name or name
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404(_("图片不存在"))
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class StaffForm(forms.Form):
    staff_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label=gettext_lazy("姓名"), max_length=50, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    mobile = forms.CharField(
        label=gettext_lazy("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    position = forms.CharField(
        label=gettext_lazy("职务"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-control"}),
    )
    is_primary = forms.BooleanField(label=gettext_lazy("主要联系人"), required=False)


@login_required
def staff_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit confirms its contact staff (name + mobile) itself."""
    unit = _own_unit(request, unit_id)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and "delete" in request.POST:
        staff = get_object_or_404(StaffContact, pk=request.POST.get("delete"), unit=unit)
        staff_delete(actor=request.user, staff=staff)
        messages.success(request, _("已删除联系人。"))
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
            messages.success(request, _("联系人已保存。"))
            return redirect("materials:staff", unit.pk)
    return render(request, "materials/staff.html", {"unit": unit, "form": form, "staff": unit.staff.all()})
