"""企业创新服务, the records: visits (走访) with photos, commissioners' service logs (送技下乡), project
applications guided. Same scope rules as innovation.py; a commissioner logs only as themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sciweek.innovation import services
from sciweek.innovation.access import (
    access_application,
    access_enterprise,
    access_expert,
    access_log,
    access_visit,
    bureau_regions,
    commissioner_of,
    records_q,
)
from sciweek.innovation.models import ServiceLog, Visit
from sciweek.orgs.access import access_unit

from .common import MAX_DB_ID, WRITE_ERRORS, InSchema, absent
from .innovation import InnovationPaging, paged

router = Router(tags=["innovation"])
Id = Field(..., ge=1, le=MAX_DB_ID)


class VisitIn(InSchema):
    enterprise_id: int = Id
    date: dt.date
    visitors: str = Field(..., max_length=200)
    findings: str = Field("", max_length=4000)
    demands_raised: str = Field("", max_length=4000)
    contact_confirmed: bool = False
    confirmed_by_name: str = Field("", max_length=50)


class PhotoOut(Schema):
    id: int
    original_name: str
    width: int
    height: int
    taken_at: dt.datetime | None


class VisitOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    unit_id: int
    date: dt.date
    visitors: str
    findings: str
    demands_raised: str
    contact_confirmed: bool
    confirmed_by_name: str
    photos: list[PhotoOut]
    version: int


def visit_out(v: Visit) -> dict:
    return {
        "id": v.pk, "enterprise_id": v.enterprise_id, "enterprise_name": v.enterprise.name, "unit_id": v.unit_id,
        "date": v.date, "visitors": v.visitors, "findings": v.findings, "demands_raised": v.demands_raised,
        "contact_confirmed": v.contact_confirmed, "confirmed_by_name": v.confirmed_by_name,
        "photos": [PhotoOut.from_orm(p).dict() for p in v.photos.all()], "version": v.version,
    }  # fmt: skip


@router.post("/visits", response={201: VisitOut, **WRITE_ERRORS}, summary="Record a visit to an enterprise")
def create_visit(request, payload: VisitIn):
    enterprise = access_enterprise(request.auth, payload.enterprise_id, write=True)
    visit = services.visit_create(
        actor=request.auth, enterprise=enterprise, **payload.dict(exclude={"enterprise_id"})
    )
    return Status(201, visit_out(visit))


@router.get("/visits", response=list[VisitOut], summary="Visits the caller may see")
def list_visits(
    request,
    response: HttpResponse,
    paging: Query[InnovationPaging],
    enterprise_id: int = Query(None, ge=1, le=MAX_DB_ID),
):
    qs = Visit.objects.filter(records_q(request.auth)).select_related("enterprise").prefetch_related("photos")
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return [visit_out(v) for v in paged(request, response, qs.order_by("-date", "-id"), paging)]


@router.post(
    "/visits/{int:visit_id}/photos",
    response={201: PhotoOut, **WRITE_ERRORS},
    summary="Add a photo (JPEG/PNG/WebP/GIF)",
)
def add_visit_photo(request, visit_id: int, file: UploadedFile = File(...)):  # noqa: B008 — ninja declares parameters this way
    visit = access_visit(request.auth, visit_id, write=True)
    photo = services.photo_add(actor=request.auth, upload=file, visit=visit)
    return Status(201, PhotoOut.from_orm(photo).dict())


class LogIn(InSchema):
    expert_id: int = absent(ge=1, le=MAX_DB_ID, description="省略时为调用者本人（科技特派员）")
    unit_id: int = Id
    date: dt.date
    place_kind: str = Field(..., max_length=16, description="village / cooperative / enterprise")
    place: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16, description="training / onsite / promotion / online")
    people_served: int = Field(0, ge=0, le=100000)
    hours: Decimal = Field(Decimal(0), ge=0, le=24)
    topics: str = Field(..., max_length=300)
    event_id: int | None = Field(
        None, ge=1, le=MAX_DB_ID, description="活动周内已登记的活动编号：关联后只计一次"
    )


class LogOut(Schema):
    id: int
    expert_id: int
    expert_name: str
    unit_id: int
    unit_name: str
    date: dt.date
    place_kind: str
    place: str
    kind: str
    people_served: int
    hours: Decimal
    topics: str
    event_id: int | None
    version: int


def log_out(log: ServiceLog) -> dict:
    return {
        "id": log.pk, "expert_id": log.expert_id, "expert_name": log.expert.name, "unit_id": log.unit_id,
        "unit_name": log.unit.name, "date": log.date, "place_kind": log.place_kind, "place": log.place,
        "kind": log.kind, "people_served": log.people_served, "hours": log.hours, "topics": log.topics,
        "event_id": log.event_id, "version": log.version,
    }  # fmt: skip


@router.post(
    "/service-logs",
    response={201: LogOut, **WRITE_ERRORS},
    summary="Record a commissioner's service (送技下乡)",
)
def create_log(request, payload: LogIn):
    user = request.auth
    own = commissioner_of(user)
    if own is None and not bureau_regions(user):
        raise PermissionDenied(_("只有科技特派员本人或主办单位可以记录服务日志"))
    if payload.expert_id and (own is None or own.pk != payload.expert_id):
        expert = access_expert(user, payload.expert_id, manage=True)  # the bureau logs for anyone
    elif own is not None:
        expert = own
    else:
        raise ValidationError({"expert_id": _("请指定科技特派员（expert_id）。")})
    unit = access_unit(user, payload.unit_id) if expert.user_id != user.pk else _town(expert, payload.unit_id)
    data = payload.dict(exclude={"expert_id", "unit_id"})
    log = services.servicelog_create(actor=user, expert=expert, unit=unit, **data)
    return Status(201, log_out(log))


def _town(expert, unit_id: int):
    """A commissioner may log service in any town of their region (they need not be its member)."""
    from sciweek.orgs.models import OrgUnit

    unit = OrgUnit.objects.filter(pk=unit_id, path__startswith=expert.region.path).first()
    if unit is None:
        raise ValidationError(
            {
                "unit_id": _("单位编号 %(id)s 不存在或不在「%(region)s」范围内。")
                % {"id": unit_id, "region": expert.region.name}
            }
        )
    return unit


@router.get(
    "/service-logs",
    response=list[LogOut],
    summary="Service logs: a commissioner's own, a town's, or all (bureau)",
)
def list_logs(request, response: HttpResponse, paging: Query[InnovationPaging], mine: bool = False):
    user = request.auth
    own = commissioner_of(user)
    q = Q(expert=own) if own is not None else Q(pk__in=[])
    if not mine:
        q |= records_q(user)
    qs = ServiceLog.objects.filter(q).select_related("expert", "unit")
    return [log_out(log) for log in paged(request, response, qs.order_by("-date", "-id"), paging)]


class ApplicationIn(InSchema):
    enterprise_id: int = Id
    programme: str = Field(..., max_length=100)
    level: str = Field(..., max_length=16, description="national / provincial / city / county")
    year: int = Field(..., ge=2000, le=2100)
    status: str = Field("preparing", max_length=16, description="preparing / submitted / approved / rejected")
    amount: Decimal | None = Field(None, ge=0, le=9_999_999_999)
    guided_by: str = Field("", max_length=100)


class ApplicationOut(Schema):
    id: int
    enterprise_id: int
    programme: str
    level: str
    year: int
    status: str
    amount: Decimal | None
    guided_by: str
    version: int


@router.post(
    "/applications", response={201: ApplicationOut, **WRITE_ERRORS}, summary="A project application guided"
)
def create_application(request, payload: ApplicationIn):
    enterprise = access_enterprise(request.auth, payload.enterprise_id, write=True)
    app = services.application_create(
        actor=request.auth, enterprise=enterprise, **payload.dict(exclude={"enterprise_id"})
    )
    return Status(201, ApplicationOut.from_orm(app).dict())


# Edits and deletes: the version read last (409 when someone changed it since), the same checks as
# creating; a commissioner changes only their own logs, a town its own records, the bureau all below it.
VERSION = Field(..., ge=1, le=2_147_483_647)


class VisitPatch(InSchema):
    version: int = VERSION
    date: dt.date = absent()
    visitors: str = absent(max_length=200)
    findings: str = absent(max_length=4000)
    demands_raised: str = absent(max_length=4000)
    contact_confirmed: bool = absent()
    confirmed_by_name: str = absent(max_length=50)


class LogPatch(InSchema):
    version: int = VERSION
    date: dt.date = absent()
    place_kind: str = absent(max_length=16)
    place: str = absent(max_length=100)
    kind: str = absent(max_length=16)
    people_served: int = absent(ge=0, le=100000)
    hours: Decimal = absent(ge=0, le=24)
    topics: str = absent(max_length=300)
    event_id: int | None = absent(ge=1, le=MAX_DB_ID)


class ApplicationPatch(InSchema):
    version: int = VERSION
    programme: str = absent(max_length=100)
    level: str = absent(max_length=16)
    year: int = absent(ge=2000, le=2100)
    status: str = absent(max_length=16)
    amount: Decimal | None = absent(ge=0, le=9_999_999_999)
    guided_by: str = absent(max_length=100)


def _split(payload: Any) -> tuple[int, dict[str, Any]]:
    data = payload.dict(exclude_unset=True)
    return data.pop("version"), data


@router.patch("/visits/{int:visit_id}", response={200: VisitOut, **WRITE_ERRORS}, summary="Edit a visit")
def patch_visit(request, visit_id: int, payload: VisitPatch):
    version, data = _split(payload)
    visit = services.visit_update(
        actor=request.auth, visit=access_visit(request.auth, visit_id, write=True), version=version, **data
    )
    return visit_out(visit)


@router.delete("/visits/{int:visit_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a visit")
def delete_visit(request, visit_id: int, version: int = Query(..., ge=1, le=2_147_483_647)):
    services.visit_delete(
        actor=request.auth, visit=access_visit(request.auth, visit_id, write=True), version=version
    )
    return Status(204, None)


@router.patch(
    "/service-logs/{int:service_log_id}", response={200: LogOut, **WRITE_ERRORS}, summary="Edit a service log"
)
def patch_log(request, service_log_id: int, payload: LogPatch):
    version, data = _split(payload)
    log = services.servicelog_update(
        actor=request.auth, log=access_log(request.auth, service_log_id, write=True), version=version, **data
    )
    return log_out(log)


@router.delete(
    "/service-logs/{int:service_log_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a service log"
)
def delete_log(request, service_log_id: int, version: int = Query(..., ge=1, le=2_147_483_647)):
    services.servicelog_delete(
        actor=request.auth, log=access_log(request.auth, service_log_id, write=True), version=version
    )
    return Status(204, None)


@router.patch(
    "/applications/{int:application_id}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Edit a project application",
)
def patch_application(request, application_id: int, payload: ApplicationPatch):
    version, data = _split(payload)
    app = services.application_update(
        actor=request.auth,
        application=access_application(request.auth, application_id, write=True),
        version=version,
        **data,
    )
    return ApplicationOut.from_orm(app).dict()


@router.delete(
    "/applications/{int:application_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a project application",
)
def delete_application(request, application_id: int, version: int = Query(..., ge=1, le=2_147_483_647)):
    app = access_application(request.auth, application_id, write=True)
    services.application_delete(actor=request.auth, application=app, version=version)
    return Status(204, None)
