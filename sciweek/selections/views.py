"""Pages of the 最美 selection: the public voting page, a unit's nominations, the bureau's review and
the vote's anomaly report. Writes go through the services; every page checks scope on the server."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sciweek.campaigns.models import Campaign
from sciweek.core.forms import attach_errors, posted_version
from sciweek.core.masking import mask_phone

from .access import access_nomination, access_selection, can_run, nominating_units
from .anomalies import anomaly_report
from .models import Nomination, Selection
from .services.nominations import (
    DEEDS_MAX,
    SUMMARY_MAX,
    nominating_open,
    nomination_attach,
    nomination_review,
    nomination_save,
)
from .services.voting import tally, vote_open, votes_void


def vote_page(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = Selection.objects.select_related("campaign").filter(pk=selection_id).first()
    if selection is None or selection.campaign.status == Campaign.Status.DRAFT:
        raise Http404(_("评选不存在"))
    candidates = Nomination.objects.filter(
        selection=selection, status__in=[Nomination.Status.SHORTLISTED, Nomination.Status.WINNER]
    )
    counts = {row["candidate_id"]: row for row in tally(selection)}
    rows = [(c, counts.get(c.pk, {"votes": 0, "voided": 0})) for c in candidates]
    return render(
        request,
        "selections/vote.html",
        {
            "selection": selection,
            "rows": rows,
            "open": vote_open(selection),
            "voided": sum(r[1]["voided"] for r in rows),
        },
    )


class NominationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=30)
    gender = forms.ChoiceField(
        label=gettext_lazy("性别"),
        choices=[("", gettext_lazy("请选择")), ("男", gettext_lazy("男")), ("女", gettext_lazy("女"))],
    )
    birth_date = forms.DateField(
        label=gettext_lazy("出生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ethnicity = forms.CharField(label=gettext_lazy("民族"), max_length=20, initial="汉族")
    political_status = forms.CharField(label=gettext_lazy("政治面貌"), max_length=20, required=False)
    work_unit = forms.CharField(label=gettext_lazy("工作单位"), max_length=100)
    post = forms.CharField(label=gettext_lazy("职务/职称"), max_length=100, required=False)
    field = forms.CharField(label=gettext_lazy("从事领域"), max_length=50, required=False)
    mobile = forms.CharField(
        label=gettext_lazy("手机号码"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    summary = forms.CharField(
        label=format_lazy(gettext_lazy("简要事迹（{n}字以内）"), n=SUMMARY_MAX),
        widget=forms.Textarea(attrs={"rows": 3, "data-count": SUMMARY_MAX}),
    )
    deeds = forms.CharField(
        label=format_lazy(gettext_lazy("主要事迹（{n}字以内）"), n=DEEDS_MAX),
        widget=forms.Textarea(attrs={"rows": 8, "data-count": DEEDS_MAX}),
    )
    honours = forms.CharField(
        label=gettext_lazy("荣誉情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit_opinion = forms.CharField(
        label=gettext_lazy("推荐单位意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    portrait = forms.FileField(label=gettext_lazy("个人照片（JPEG/PNG）"), required=False)
    opinion_scan = forms.FileField(label=gettext_lazy("推荐意见盖章扫描件（PDF/JPEG）"), required=False)

    def __init__(self, *args, rules: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirmed_rules"] = forms.MultipleChoiceField(
            label=gettext_lazy("推荐条件（逐条确认）"),
            choices=[(str(i), r) for i, r in enumerate(rules)],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        for f in self.fields.values():
            if not isinstance(f.widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                f.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(f, forms.ChoiceField) else "form-control"
                )


@login_required
def nomination_edit(
    request: HttpRequest, selection_id: int, nomination_id: int | None = None
) -> HttpResponse:
    selection = access_selection(request.user, selection_id)
    nomination = access_nomination(request.user, nomination_id, edit=True) if nomination_id else None
    units = nominating_units(request.user, selection)
    unit = nomination.unit if nomination else (units[0] if units else None)
    if unit is None or (nomination is None and not units):
        raise PermissionDenied(_("您的单位不是本次评选的推荐单位"))
    if nomination is None and not nominating_open(selection):
        messages.error(request, _("推荐已截止。"))
        return redirect("selections:mine", selection.pk)
    initial = {}
    if nomination:
        initial = {k: getattr(nomination, k) for k in NominationForm.base_fields if hasattr(nomination, k)}
        initial["confirmed_rules"] = [str(i) for i in nomination.confirmed_rules]
        initial["version"] = nomination.version
    form = NominationForm(
        request.POST or None, request.FILES or None, initial=initial, rules=selection.eligibility_rules
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("version", "portrait", "opinion_scan")
        }
        try:
            nomination = nomination_save(
                actor=request.user, selection=selection, unit=unit, data=data, nomination=nomination,
                version=form.cleaned_data["version"], submit="submit" in request.POST,
            )  # fmt: skip
            for key in ("portrait", "opinion_scan"):
                if form.cleaned_data.get(key):
                    nomination_attach(
                        actor=request.user, nomination=nomination, field=key, upload=form.cleaned_data[key]
                    )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("已推荐，等待资格审查。") if "submit" in request.POST else _("草稿已保存。")
            )
            return redirect("selections:mine", selection.pk)
    quota = next((q for q in selection.nominators.filter(unit=unit).values_list("quota", flat=True)), 0)
    return render(
        request,
        "selections/nomination_form.html",
        {"form": form, "selection": selection, "unit": unit, "nomination": nomination, "quota": quota},
    )


@login_required
def my_nominations(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = access_selection(request.user, selection_id)
    units = nominating_units(request.user, selection)
    if not units and not can_run(request.user, selection):
        raise PermissionDenied(_("您的单位不是本次评选的推荐单位"))
    rows = Nomination.objects.filter(selection=selection, unit__in=units)
    return render(
        request,
        "selections/mine.html",
        {"selection": selection, "rows": rows, "units": units, "open": nominating_open(selection)},
    )


@login_required
def manage(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = access_selection(request.user, selection_id, run=True)
    rows = (
        Nomination.objects.filter(selection=selection)
        .exclude(status=Nomination.Status.DRAFT)
        .select_related("unit", "duplicate_of")
    )
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(
        request,
        "selections/manage.html",
        {"selection": selection, "rows": [(n, mask_phone(n.mobile)) for n in rows], "status": status,
         "statuses": Nomination.Status.choices, "tally": tally(selection)},
    )  # fmt: skip


@login_required
@require_POST
def review(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = access_nomination(request.user, nomination_id)
    access_selection(request.user, nomination.selection_id, run=True)
    try:
        nomination_review(
            actor=request.user, nomination=nomination, action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""), version=posted_version(request),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("%(name)s：已处理。") % {"name": nomination.name})
    return redirect("selections:manage", nomination.selection_id)


@login_required
def anomalies(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = access_selection(request.user, selection_id, run=True)
    findings = anomaly_report(selection)
    if request.method == "POST":
        index = int(request.POST.get("finding", "-1"))
        if not 0 <= index < len(findings):
            messages.error(request, _("该异常已不存在（可能已处理），请刷新。"))
        else:
            try:
                n = votes_void(
                    actor=request.user,
                    selection=selection,
                    vote_ids=findings[index].vote_ids,
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已作废%(count)s票。") % {"count": n})
        return redirect("selections:anomalies", selection.pk)
    return render(request, "selections/anomalies.html", {"selection": selection, "findings": findings})
