"""Requirements and deadlines of a campaign.

Everyone who sees the campaign lists them; a unit user also gets, for each requirement that applies
to their unit, the compliance the system computed (never typed in). Organizers create, change (with
version) and delete them.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sciweek.campaigns import services
from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.compliance import countdown, unit_compliance
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.orgs.access import reporting_units

from .common import ERRORS, WRITE_ERRORS, InSchema, absent, aware, local, units_within

router = Router(tags=["requirements"])


class ComplianceOut(Schema):
    unit_id: int
    unit_name: str
    done: bool
    late: bool
    detail: str


class RequirementOut(Schema):
    id: int
    campaign_id: int
    kind: str
    kind_label: str
    title: str
    description: str
    due_at: dt.datetime
    due_is_close_of_business: bool
    countdown: str
    applies_to: list[int] = Field(..., description="适用单位；为空表示全部参与单位")
    min_count: int | None
    target_count: int | None
    lock_at_deadline: bool
    version: int
    compliance: list[ComplianceOut] = Field(..., description="调用者所在单位的完成情况（单位账号）")


class RequirementIn(InSchema):
    kind: str = Field(..., max_length=16, description="publicity / min_events / final_report / staff / other")
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    due_at: dt.datetime = Field(..., description="不带时区时按北京时间")
    due_is_close_of_business: bool = False
    applies_to: list[int] = Field(default_factory=list, max_length=1000)
    min_count: int | None = Field(None, ge=0, le=100_000)
    target_count: int | None = Field(None, ge=0, le=100_000)
    lock_at_deadline: bool = False


class RequirementPatch(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    kind: str = absent(max_length=16)
    title: str = absent(max_length=200)
    description: str = absent(max_length=5000)
    due_at: dt.datetime = absent()
    due_is_close_of_business: bool = absent()
    applies_to: list[int] = absent(max_length=1000)
    min_count: int | None = Field(None, ge=0, le=100_000)
    target_count: int | None = Field(None, ge=0, le=100_000)
    lock_at_deadline: bool = absent()


def requirement_out(req: Requirement, user, campaign: Campaign) -> dict:
    applies = [u.pk for u in req.applies_to.all()]
    mine = [u for u in reporting_units(user) if u.path.startswith(campaign.org_unit.path)]
    compliance = []
    for unit in mine:
        if req.applies_to_unit(unit):
            state = unit_compliance(req, unit)
            compliance.append(
                {
                    "unit_id": unit.pk,
                    "unit_name": unit.name,
                    "done": state.done,
                    "late": state.late,
                    "detail": state.detail,
                }
            )
    return {
        **{
            f: getattr(req, f)
            for f in (
                "id",
                "campaign_id",
                "kind",
                "title",
                "description",
                "due_is_close_of_business",
                "min_count",
                "target_count",
                "lock_at_deadline",
                "version",
            )
        },
        "due_at": local(req.due_at),
        "kind_label": str(req.get_kind_display()),
        "countdown": countdown(req),
        "applies_to": sorted(applies),
        "compliance": compliance,
    }


def _requirement(campaign: Campaign, requirement_id: int) -> Requirement:
    req = campaign.requirements.prefetch_related("applies_to").filter(pk=requirement_id).first()
    if req is None:
        raise Http404(_("要求不存在"))
    return req


def _applies_to(campaign: Campaign, ids: list[int]) -> list:
    return units_within(
        ids, region=campaign.org_unit, field="applies_to", allowed=campaign.participating_units()
    )


@router.get("/{int:campaign_id}/requirements", response={200: list[RequirementOut], **ERRORS})
def list_requirements(request, campaign_id: int):
    user = request.auth
    campaign = access_campaign(user, campaign_id)
    return [requirement_out(r, user, campaign) for r in campaign.requirements.prefetch_related("applies_to")]


@router.get("/{int:campaign_id}/requirements/{int:requirement_id}", response={200: RequirementOut, **ERRORS})
def get_requirement(request, campaign_id: int, requirement_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    return requirement_out(_requirement(campaign, requirement_id), request.auth, campaign)


@router.post("/{int:campaign_id}/requirements", response={201: RequirementOut, **WRITE_ERRORS})
def create_requirement(request, campaign_id: int, payload: RequirementIn):
    """Organizers only. A due date far from the week (wrong year or month) is refused with a message."""
    user = request.auth
    campaign = access_campaign(user, campaign_id, manage=True)
    data = payload.dict()
    data["applies_to"] = _applies_to(campaign, data["applies_to"])
    data["due_at"] = aware(data["due_at"])
    req = services.requirement_save(actor=user, campaign=campaign, **data)
    return Status(201, requirement_out(_requirement(campaign, req.pk), user, campaign))


@router.patch(
    "/{int:campaign_id}/requirements/{int:requirement_id}", response={200: RequirementOut, **WRITE_ERRORS}
)
def update_requirement(request, campaign_id: int, requirement_id: int, payload: RequirementPatch):
    user = request.auth
    campaign = access_campaign(user, campaign_id, manage=True)
    req = _requirement(campaign, requirement_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    fields = {
        f: getattr(req, f)
        for f in (
            "kind",
            "title",
            "description",
            "due_at",
            "due_is_close_of_business",
            "min_count",
            "target_count",
            "lock_at_deadline",
        )
    }
    for key, value in data.items():
        if key != "applies_to" and (value is not None or key in ("min_count", "target_count")):
            fields[key] = value
    fields["due_at"] = aware(fields["due_at"])
    applies = _applies_to(campaign, data["applies_to"]) if data.get("applies_to") is not None else None
    req = services.requirement_save(
        actor=user, campaign=campaign, requirement=req, version=version, applies_to=applies, **fields
    )
    return requirement_out(_requirement(campaign, req.pk), user, campaign)


@router.delete("/{int:campaign_id}/requirements/{int:requirement_id}", response={204: None, **ERRORS})
def delete_requirement(request, campaign_id: int, requirement_id: int):
    user = request.auth
    campaign = access_campaign(user, campaign_id, manage=True)
    services.requirement_delete(actor=user, requirement=_requirement(campaign, requirement_id))
    return Status(204, None)
