"""Public pages after review: 公示 with the objection form, then 公布 with the winners' profiles."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.campaigns.models import Campaign
from sciweek.core.forms import attach_errors
from sciweek.core.middleware import client_ip
from sciweek.core.ratelimit import rate_limit_hit

from .models import Nomination, Selection
from .services.publicity import objection_submit, publicity_open


class ObjectionForm(forms.Form):
    nomination = forms.TypedChoiceField(label=gettext_lazy("异议对象"), coerce=int)
    name = forms.CharField(label=gettext_lazy("姓名（实名）"), max_length=30, required=False)
    unit_name = forms.CharField(label=gettext_lazy("工作单位"), max_length=100, required=False)
    phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    is_unit = forms.BooleanField(label=gettext_lazy("以单位名义提出（须上传盖章扫描件）"), required=False)
    content = forms.CharField(
        label=gettext_lazy("异议内容（具体事实）"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    evidence = forms.FileField(label=gettext_lazy("证明材料（可选，PDF/Word/图片）"), required=False)
    stamped_scan = forms.FileField(label=gettext_lazy("单位盖章扫描件"), required=False)

    def __init__(self, *args, winners: list[Nomination], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nomination"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(n.pk, f"{n.name}（{n.work_unit}）") for n in winners]
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs["class"] = "form-check-input"
            else:
                f.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(f, forms.ChoiceField) else "form-control"
                )


def _public(selection_id: int) -> Selection:
    selection = Selection.objects.select_related("campaign").filter(pk=selection_id).first()
    if selection is None or selection.campaign.status == Campaign.Status.DRAFT:
        raise Http404(_("评选不存在"))
    return selection


def publicity_page(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = _public(selection_id)
    if selection.stage not in (Selection.Stage.PUBLICIZING, Selection.Stage.PUBLISHED):
        raise Http404(_("尚未公示"))
    winners = list(Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER))
    open_now = publicity_open(selection)
    form = ObjectionForm(request.POST or None, request.FILES or None, winners=winners)
    if request.method == "POST" and open_now and form.is_valid():
        over, _w = rate_limit_hit(scope="objection", key=client_ip(request) or "unknown",
                                  setting="SCIWEEK_OBJECTION_RATE", default=(10, 3600))  # fmt: skip
        if over:
            messages.error(request, _("提交过于频繁，请稍后再试。"))
        else:
            d = form.cleaned_data
            try:
                objection_submit(
                    selection=selection, nomination_id=d["nomination"], name=d["name"], phone=d["phone"],
                    content=d["content"], unit_name=d["unit_name"], is_unit=d["is_unit"], evidence=d["evidence"],
                    stamped_scan=d["stamped_scan"], ip=client_ip(request),
                )  # fmt: skip
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("异议已受理。我们将核查并答复您，您的个人信息严格保密。"))
                return redirect("selections:publicity", selection.pk)
    return render(
        request,
        "selections/publicity.html",
        {"selection": selection, "winners": winners, "form": form, "open": open_now},
    )


def winners_page(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = _public(selection_id)
    if selection.stage != Selection.Stage.PUBLISHED:
        raise Http404(_("尚未公布"))
    winners = Nomination.objects.filter(
        selection=selection, status=Nomination.Status.WINNER
    ).prefetch_related("photos")
    return render(request, "selections/winners.html", {"selection": selection, "winners": winners})
