"""Setting a selection up: the campaign's selections, a new one, and the public vote's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.campaigns.access import access_campaign
from sciweek.core.forms import attach_errors
from sciweek.orgs.access import can_manage_unit, memberships_of
from sciweek.orgs.models import OrgUnit, Role, UnitKind

from .access import access_selection, can_run
from .services.setup import selection_create, selection_set_vote

NOMINATOR_KINDS = (UnitKind.TOWN, UnitKind.DEVZONE, UnitKind.ASSOCIATION)


def _runs_campaign(user, campaign) -> bool:
    region = campaign.org_unit
    return can_manage_unit(user, region) or any(
        m.role == Role.CO_ORGANIZER and region.path.startswith(m.unit.path) for m in memberships_of(user)
    )


class NewSelectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("评选名称"), max_length=100)
    nominate_until = forms.DateTimeField(
        label=gettext_lazy("推荐截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    default_quota = forms.IntegerField(
        label=gettext_lazy("每单位推荐名额"), min_value=1, max_value=20, initial=2
    )
    places = forms.IntegerField(label=gettext_lazy("评选名额"), min_value=1, max_value=500, initial=10)
    nominators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("推荐单位"), queryset=OrgUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )


@login_required
def selection_list(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    runs = _runs_campaign(request.user, campaign)
    units = OrgUnit.objects.filter(
        path__startswith=campaign.org_unit.path, kind__in=NOMINATOR_KINDS, is_active=True
    )
    form = NewSelectionForm(
        request.POST or None,
        initial={
            "title": f"{campaign.year}年{campaign.org_unit.name}最美科技工作者",
            "nominators": list(units),
        },
    )
    field = form.fields["nominators"]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = units.order_by("kind", "path")
    if request.method == "POST":
        if not runs:
            raise PermissionDenied(_("只有主办、协办单位可以设立评选"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                selection = selection_create(
                    actor=request.user, campaign=campaign, title=d["title"], nominate_until=d["nominate_until"],
                    nominators=list(d["nominators"]), default_quota=d["default_quota"], places=d["places"],
                )  # fmt: skip
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("评选已设立，推荐单位可以开始推荐。"))
                return redirect("selections:manage", selection.pk)
    return render(
        request,
        "selections/list.html",
        {"campaign": campaign, "selections": campaign.selections.all(), "form": form, "runs": runs},
    )


class VoteRulesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=gettext_lazy("开展网络投票"), required=False)
    vote_from = forms.DateTimeField(
        label=gettext_lazy("投票开始"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    vote_until = forms.DateTimeField(
        label=gettext_lazy("投票结束"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    votes_per_candidate_per_day = forms.IntegerField(
        label=gettext_lazy("每人每天可投同一候选人票数"), min_value=1, max_value=10
    )
    candidates_per_day = forms.IntegerField(
        label=gettext_lazy("每人每天最多投候选人数"), min_value=1, max_value=100
    )
    public_weight = forms.DecimalField(
        label=gettext_lazy("网络投票权重（0–0.30）"),
        min_value=Decimal(0),
        max_value=Decimal(1),
        decimal_places=2,
    )


def _local_input(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


@login_required
def vote_rules(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = access_selection(request.user, selection_id, run=True)
    initial = {
        "version": selection.version, "enabled": selection.vote_enabled,
        "vote_from": _local_input(selection.vote_from), "vote_until": _local_input(selection.vote_until),
        "votes_per_candidate_per_day": selection.votes_per_candidate_per_day,
        "candidates_per_day": selection.candidates_per_day, "public_weight": selection.public_weight,
    }  # fmt: skip
    form = VoteRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            selection_set_vote(
                actor=request.user, selection=selection, version=d["version"], enabled=d["enabled"],
                vote_from=d["vote_from"], vote_until=d["vote_until"],
                votes_per_candidate_per_day=d["votes_per_candidate_per_day"],
                candidates_per_day=d["candidates_per_day"], public_weight=d["public_weight"],
            )  # fmt: skip
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("投票规则已保存。"))
            return redirect("selections:manage", selection.pk)
    return render(
        request,
        "selections/vote_rules.html",
        {"selection": selection, "form": form, "runs": can_run(request.user, selection)},
    )
