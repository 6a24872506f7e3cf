"""企业创新服务, technology demands: create, list, edit (version), status changes along the pipeline,
ranked matches with reasons and the bureau's confirmation. Scope as in innovation.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sciweek.innovation import services
from sciweek.innovation.access import access_demand, access_enterprise, records_q
from sciweek.innovation.choices import Field as TechField
from sciweek.innovation.choices import Status as DemandStatus
from sciweek.innovation.matching import suggestions
from sciweek.innovation.models import Demand

from .common import ERRORS, MAX_DB_ID, WRITE_ERRORS, InSchema, absent
from .innovation import InnovationPaging, paged

router = Router(tags=["innovation"])
Id = Field(..., ge=1, le=MAX_DB_ID)


class DemandIn(InSchema):
    enterprise_id: int = Id
    title: str = Field(..., max_length=100)
    field: str = Field(..., max_length=20, description="技术领域代码（crops、machinery…）或中文名称")
    description: str = Field(..., max_length=4000)
    demand_type: str = Field("", max_length=16)
    targets: str = Field("", max_length=2000)
    benchmark: str = Field("", max_length=200)
    coop_mode: str = Field("", max_length=16)
    budget: Decimal | None = Field(None, ge=0, le=9_999_999_999)
    wanted_by: dt.date | None = None
    is_secret: bool = False


class DemandPatch(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    title: str = absent(max_length=100)
    field: str = absent(max_length=20)
    description: str = absent(max_length=4000)
    demand_type: str = absent(max_length=16)
    targets: str = absent(max_length=2000)
    benchmark: str = absent(max_length=200)
    coop_mode: str = absent(max_length=16)
    budget: Decimal | None = Field(None, ge=0, le=9_999_999_999)
    wanted_by: dt.date | None = None
    is_secret: bool = absent()


class DemandStatusIn(InSchema):
    to: str = Field(
        ...,
        max_length=16,
        description="collected / reviewed / matching / diagnosis / connecting / signed / tracking / solved / closed",
    )
    version: int = Field(..., ge=1, le=2_147_483_647)
    note: str = Field("", max_length=300)
    contract_amount: Decimal | None = Field(None, ge=0, le=9_999_999_999, description="万元，签约时必填")
    contract_number: str = Field("", max_length=40, description="技术合同登记编号，签约时必填")


class DemandOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    unit_id: int
    title: str
    field: str
    field_label: str
    demand_type: str
    description: str
    targets: str
    benchmark: str
    coop_mode: str
    budget: Decimal | None
    wanted_by: dt.date | None
    is_secret: bool
    is_published: bool
    status: str
    status_label: str
    contract_amount: Decimal | None
    contract_number: str
    allowed_steps: list[str]
    version: int


def demand_out(d: Demand, user) -> dict:
    return {
        "id": d.pk, "enterprise_id": d.enterprise_id, "enterprise_name": d.enterprise.name, "unit_id": d.unit_id,
        "title": d.title, "field": d.field, "field_label": str(d.get_field_display()), "demand_type": d.demand_type,
        "description": d.description, "targets": d.targets, "benchmark": d.benchmark, "coop_mode": d.coop_mode,
        "budget": d.budget, "wanted_by": d.wanted_by, "is_secret": d.is_secret, "is_published": d.is_published,
        "status": d.status, "status_label": str(d.get_status_display()), "contract_amount": d.contract_amount,
        "contract_number": d.contract_number, "allowed_steps": services.allowed_steps(user, d), "version": d.version,
    }  # fmt: skip


def _field_code(value: str) -> str:
    by_label = {str(c.label): c.value for c in TechField}
    return by_label.get(value.strip(), value.strip())


@router.post(
    "/demands", response={201: DemandOut, **WRITE_ERRORS}, summary="Record an enterprise's technology demand"
)
def create_demand(request, payload: DemandIn):
    enterprise = access_enterprise(request.auth, payload.enterprise_id, write=True)
    data = payload.dict(exclude={"enterprise_id"})
    data["field"] = _field_code(data["field"])
    demand = services.demand_create(actor=request.auth, enterprise=enterprise, **data)
    return Status(201, demand_out(demand, request.auth))


@router.get("/demands", response=list[DemandOut], summary="Demands the caller may see")
def list_demands(
    request,
    response: HttpResponse,
    paging: Query[InnovationPaging],
    status: str = Query("", max_length=16),
    field: str = Query("", max_length=20),
):
    qs = Demand.objects.filter(records_q(request.auth)).select_related("enterprise", "unit")
    if status:
        if status not in DemandStatus.values:
            raise ValidationError({"status": _("未知的状态。")})
        qs = qs.filter(status=status)
    if field:
        qs = qs.filter(field=_field_code(field))
    return [
        demand_out(d, request.auth)
        for d in paged(request, response, qs.order_by("-updated_at", "-id"), paging)
    ]


@router.get("/demands/{int:demand_id}", response={200: DemandOut, **ERRORS})
def get_demand(request, demand_id: int):
    return demand_out(access_demand(request.auth, demand_id), request.auth)


@router.patch("/demands/{int:demand_id}", response={200: DemandOut, **WRITE_ERRORS})
def patch_demand(request, demand_id: int, payload: DemandPatch):
    demand = access_demand(request.auth, demand_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "field" in data and data["field"] is not None:
        data["field"] = _field_code(data["field"])
    demand = services.demand_update(actor=request.auth, demand=demand, version=version, **data)
    return demand_out(demand, request.auth)


@router.post(
    "/demands/{int:demand_id}/status",
    response={200: DemandOut, **WRITE_ERRORS},
    summary="Move a demand along its pipeline",
)
def set_status(request, demand_id: int, payload: DemandStatusIn):
    demand = access_demand(request.auth, demand_id, write=True)
    demand = services.demand_set_status(actor=request.auth, demand=demand, **payload.dict())
    return demand_out(Demand.objects.select_related("enterprise").get(pk=demand.pk), request.auth)


class MatchOut(Schema):
    kind: str
    id: int
    name: str
    score: float
    reasons: list[str]
    detail: str
    is_commissioner: bool
    confirmed: bool


class MatchIn(InSchema):
    kind: str = Field(..., max_length=16, description="expert / organization")
    id: int = Id


@router.get(
    "/demands/{int:demand_id}/matches",
    response={200: list[MatchOut], **ERRORS},
    summary="Ranked suggestions with reasons",
)
def demand_matches(request, demand_id: int, limit: int = Query(20, ge=1, le=100)):
    demand = access_demand(request.auth, demand_id)
    return [s.__dict__ for s in suggestions(demand, limit=limit)]


@router.post(
    "/demands/{int:demand_id}/matches",
    response={201: MatchOut, **WRITE_ERRORS},
    summary="Confirm a match (bureau)",
)
def confirm_match(request, demand_id: int, payload: MatchIn):
    demand = access_demand(request.auth, demand_id)
    found = {(s.kind, s.id): s for s in suggestions(demand, limit=100)}
    s = found.get((payload.kind, payload.id))
    services.match_confirm(
        actor=request.auth, demand=demand, kind=payload.kind, target_id=payload.id,
        score=s.score if s else 0, reasons=s.reasons if s else ["主办单位直接指定"],
    )  # fmt: skip
    if s is None:
        return Status(
            201,
            {
                "kind": payload.kind,
                "id": payload.id,
                "name": "",
                "score": 0,
                "reasons": ["主办单位直接指定"],
                "detail": "",
                "is_commissioner": False,
                "confirmed": True,
            },
        )
    s.confirmed = True
    return Status(201, s.__dict__)
