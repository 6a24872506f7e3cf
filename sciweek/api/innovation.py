"""企业创新服务: enterprises and the expert registry (demands in innovation_demands.py, records in
innovation_records.py).

Scope as on the pages (innovation/access.py): a town sees its own enterprises and records (others 404);
the bureau (an organizer over the county) sees all and keeps the expert registry; a commissioner
records their own service logs. Bad input 400 naming the field, stale version 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sciweek.core.masking import mask_phone
from sciweek.innovation import services
from sciweek.innovation.access import (
    access_enterprise,
    access_expert,
    can_write_for,
    records_q,
    region_for,
)
from sciweek.innovation.importer import enterprises_import, plan_import
from sciweek.innovation.models import Enterprise, Expert
from sciweek.innovation.selectors import writable_units
from sciweek.orgs.access import access_unit, can_manage_unit

from .common import ERRORS, MAX_DB_ID, WRITE_ERRORS, InSchema, absent, units_within

MAX_PAGE = 500


class InnovationPaging(Schema):
    """Every innovation list is paged: ``limit`` rows (default 100, at most 500) from ``offset``. The
    reply's ``X-Total-Count`` header gives the number of rows in all, and ``Link: <…>; rel="next"`` the
    next page's address while there is one; a list is never cut short without saying so."""

    limit: int = Field(100, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=100_000_000)


def paged(request: Any, response: HttpResponse, qs: Any, paging: InnovationPaging) -> list[Any]:
    total = qs.count()
    rows = list(qs[paging.offset : paging.offset + paging.limit])
    response["X-Total-Count"] = str(total)
    if paging.offset + len(rows) < total:
        nxt = request.GET.copy()
        nxt["offset"], nxt["limit"] = str(paging.offset + paging.limit), str(paging.limit)
        response["Link"] = f'<{request.path}?{nxt.urlencode()}>; rel="next"'
    return rows


router = Router(tags=["innovation"])
IMPORT_MAX_BYTES = 20 * 1024 * 1024
Id = Field(..., ge=1, le=MAX_DB_ID)


class ContactIn(InSchema):
    name: str = Field(..., max_length=50)
    position: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)


class ContactOut(Schema):
    name: str
    position: str
    phone: str


class EnterpriseIn(InSchema):
    name: str = Field(..., max_length=100)
    credit_code: str = Field(
        ..., max_length=40, description="统一社会信用代码（GB 32100-2015，校验位必须正确）"
    )
    unit_id: int = Id
    section: str = Field("", max_length=1, description="GB/T 4754-2017 门类 A–T")
    division: str = Field("", max_length=2, description="GB/T 4754-2017 大类两位代码")
    size: str = Field("", max_length=8, description="large / medium / small / micro")
    qualifications: list[str] = Field(default_factory=list, max_length=10)
    address: str = Field("", max_length=200)
    main_products: str = Field("", max_length=300)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=10)


class EnterprisePatch(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    name: str = absent(max_length=100)
    credit_code: str = absent(max_length=40)
    section: str = absent(max_length=1)
    division: str = absent(max_length=2)
    size: str = absent(max_length=8)
    qualifications: list[str] = absent(max_length=10)
    address: str = absent(max_length=200)
    main_products: str = absent(max_length=300)
    contacts: list[ContactIn] = absent(max_length=10)


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    unit_id: int
    unit_name: str
    section: str
    division: str
    size: str
    qualifications: list[str]
    address: str
    main_products: str
    contacts: list[ContactOut]
    version: int


def enterprise_out(e: Enterprise, user) -> dict:
    full = can_write_for(user, e.unit)
    return {
        "id": e.pk, "name": e.name, "credit_code": e.credit_code, "unit_id": e.unit_id, "unit_name": e.unit.name,
        "section": e.section, "division": e.division, "size": e.size, "qualifications": e.qualifications,
        "address": e.address, "main_products": e.main_products, "version": e.version,
        "contacts": [
            {"name": c.name, "position": c.position, "phone": c.phone if full else mask_phone(c.phone)}
            for c in e.contacts.all()
        ],
    }  # fmt: skip


@router.post("/enterprises", response={201: EnterpriseOut, **WRITE_ERRORS}, summary="Register an enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    user = request.auth
    unit = access_unit(user, payload.unit_id)
    if not can_write_for(user, unit):
        raise PermissionDenied(_("您不能为该单位登记企业"))
    data = payload.dict()
    data.pop("unit_id")
    enterprise = services.enterprise_create(actor=user, unit=unit, **data)
    return Status(201, enterprise_out(enterprise, user))


@router.get("/enterprises", response=list[EnterpriseOut], summary="Enterprises the caller may see")
def list_enterprises(
    request,
    response: HttpResponse,
    paging: Query[InnovationPaging],
    q: str = Query("", max_length=50),
    unit_id: int = Query(None, ge=1, le=MAX_DB_ID),
):
    qs = (
        Enterprise.objects.filter(records_q(request.auth)).select_related("unit").prefetch_related("contacts")
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    rows = paged(request, response, qs.order_by("unit__path", "name", "id"), paging)
    return [enterprise_out(e, request.auth) for e in rows]


@router.get("/enterprises/{int:enterprise_id}", response={200: EnterpriseOut, **ERRORS})
def get_enterprise(request, enterprise_id: int):
    return enterprise_out(access_enterprise(request.auth, enterprise_id), request.auth)


@router.patch("/enterprises/{int:enterprise_id}", response={200: EnterpriseOut, **WRITE_ERRORS})
def patch_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = access_enterprise(request.auth, enterprise_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    enterprise = services.enterprise_update(
        actor=request.auth, enterprise=enterprise, version=version, **data
    )
    return enterprise_out(enterprise, request.auth)


class ExpertIn(InSchema):
    name: str = Field(..., max_length=50)
    organization: str = Field(..., max_length=100)
    discipline: str = Field(..., max_length=50, description="学科，如 植物保护、机械工程")
    keywords: list[str] = Field(default_factory=list, max_length=30)
    org_kind: str = Field(
        "", max_length=16, description="university / institute / enterprise / public / organ"
    )
    title: str = Field("", max_length=50)
    is_commissioner: bool = False
    service_town_ids: list[int] = Field(default_factory=list, max_length=100)
    phone: str = Field("", max_length=20)
    region_id: int = absent(ge=1, le=MAX_DB_ID, description="默认为调用者所在的县（区）")


class ExpertOut(Schema):
    id: int
    name: str
    organization: str
    org_kind: str
    title: str
    discipline: str
    field: str
    keywords: list[str]
    is_commissioner: bool
    service_town_ids: list[int]
    phone: str
    is_active: bool
    version: int


def expert_out(e: Expert, user) -> dict:
    return {
        "id": e.pk, "name": e.name, "organization": e.organization, "org_kind": e.org_kind, "title": e.title,
        "discipline": e.discipline, "field": e.field, "keywords": e.keywords, "is_commissioner": e.is_commissioner,
        "service_town_ids": [t.pk for t in e.service_towns.all()], "version": e.version, "is_active": e.is_active,
        "phone": e.phone if can_manage_unit(user, e.region) else mask_phone(e.phone),
    }  # fmt: skip


@router.post(
    "/experts", response={201: ExpertOut, **WRITE_ERRORS}, summary="Add an expert / 科技特派员 (bureau)"
)
def create_expert(request, payload: ExpertIn):
    user = request.auth
    region = region_for(user, payload.region_id)
    towns = units_within(payload.service_town_ids, region=region, field="service_town_ids")
    data = payload.dict(exclude={"service_town_ids", "region_id"})
    expert = services.expert_create(actor=user, region=region, service_towns=towns, **data)
    return Status(201, expert_out(expert, user))


@router.get("/experts", response=list[ExpertOut], summary="The expert registry (bureau)")
def list_experts(
    request,
    response: HttpResponse,
    paging: Query[InnovationPaging],
    q: str = Query("", max_length=50),
    commissioners: bool = False,
    inactive: bool = Query(False, description="list the deactivated experts instead"),
):
    region = region_for(request.auth)
    qs = (
        Expert.objects.filter(region=region, is_active=not inactive)
        .select_related("region")
        .prefetch_related("service_towns")
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(discipline__icontains=q) | Q(organization__icontains=q))
    if commissioners:
        qs = qs.filter(is_commissioner=True)
    return [expert_out(e, request.auth) for e in paged(request, response, qs.order_by("name", "id"), paging)]


class ImportOut(Schema):
    rows: int
    new: int
    update: int
    errors: list[str]
    committed: bool
    created: int = 0
    updated: int = 0


@router.post(
    "/enterprises/import",
    response={200: ImportOut, **WRITE_ERRORS},
    summary="Import enterprises from xlsx: preview (commit=false) or all-or-nothing commit",
)
def import_enterprises(request, file: UploadedFile = File(...), commit: bool = Form(False)):  # noqa: B008
    """The same plan as the page's preview; with `commit=true` written only when no row has a problem."""
    if not writable_units(request.auth):
        raise PermissionDenied(_("您不能导入企业"))
    if file.size and file.size > IMPORT_MAX_BYTES:
        raise ValidationError({"file": _("「企业名单」文件过大，上限 20 MB。")})
    if file.file is None:
        raise ValidationError({"file": _("「企业名单」文件是空的。")})
    plan = plan_import(file.file, user=request.auth)
    out = {"rows": len(plan.rows), "new": plan.count("new"), "update": plan.count("update"),
           "errors": plan.errors[:500], "committed": False}  # fmt: skip
    if commit:
        if not plan.ok:
            raise ValidationError({"file": [_("导入文件中还有问题，未导入任何数据。"), *plan.errors[:50]]})
        done = enterprises_import(actor=request.auth, plan=plan)
        out |= {"committed": True, "created": done["created"], "updated": done["updated"]}
    return out


class ExpertPatch(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    name: str = absent(max_length=50)
    organization: str = absent(max_length=100)
    discipline: str = absent(max_length=50)
    keywords: list[str] = absent(max_length=30)
    org_kind: str = absent(max_length=16)
    title: str = absent(max_length=50)
    is_commissioner: bool = absent()
    service_town_ids: list[int] = absent(max_length=100)
    phone: str = absent(max_length=20)


@router.get("/experts/{int:expert_id}", response={200: ExpertOut, **ERRORS})
def get_expert(request, expert_id: int):
    return expert_out(access_expert(request.auth, expert_id), request.auth)


@router.patch(
    "/experts/{int:expert_id}",
    response={200: ExpertOut, **WRITE_ERRORS},
    summary="Change an expert (bureau, version required)",
)
def patch_expert(request, expert_id: int, payload: ExpertPatch):
    expert = access_expert(request.auth, expert_id, manage=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    towns = data.pop("service_town_ids", None)
    if towns is not None:
        towns = units_within(towns, region=expert.region, field="service_town_ids")
    expert = services.expert_update(
        actor=request.auth, expert=expert, version=version, service_towns=towns, **data
    )
    return expert_out(expert, request.auth)


class ExpertActiveIn(InSchema):
    active: bool
    version: int = Field(..., ge=1, le=2_147_483_647)


@router.post(
    "/experts/{int:expert_id}/active",
    response={200: ExpertOut, **WRITE_ERRORS},
    summary="Deactivate (active=false) or reactivate an expert: deactivated experts are not matched",
)
def set_expert_active(request, expert_id: int, payload: ExpertActiveIn):
    expert = access_expert(request.auth, expert_id, manage=True)
    expert = services.expert_set_active(
        actor=request.auth, expert=expert, active=payload.active, version=payload.version
    )
    return expert_out(expert, request.auth)
