"""Visits (走访) with photos, commissioners' service logs (送技下乡), project applications guided.

Photos are checked by content (core.files) and the time they were taken is read from EXIF when the
camera wrote it (DateTimeOriginal, local time). A service log may name an event of the week
(`event_id`): the event already counts the activity and its public, so the log is then left out of
those counts (the commissioner's person-time still counts).
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from sciweek.core import clock
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.files import IMAGE_KINDS, UploadRejected, check_image, make_thumbnail, save_upload_streamed
from sciweek.orgs.models import OrgUnit

from ..choices import ApplicationStatus, LogKind, PlaceKind, ProgrammeLevel
from ..models import Enterprise, Expert, Photo, ProjectApplication, ServiceLog, Visit
from .registry import ENTERPRISE_UNIT_KINDS

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTOS = 12
EXIF_DATETIME_ORIGINAL, EXIF_DATETIME, EXIF_IFD = 0x9003, 0x0132, 0x8769


def _text(value: Any, label: str, field: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写「%(label)s」。") % {"label": label}})
    if len(text) > limit:
        raise ValidationError(
            {field: _("「%(label)s」不能超过%(limit)s个字。") % {"label": label, "limit": limit}}
        )
    return text


def _date(value: Any, label: str, field: str) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError({field: _("「%(label)s」格式应为 2023-05-20。") % {"label": label}})
    if not isinstance(value, dt.date):
        raise ValidationError({field: _("请填写「%(label)s」。") % {"label": label}})
    if value > clock.localdate():
        raise ValidationError({field: _("「%(label)s」不能晚于今天。") % {"label": label}})
    return value


def check_visit_fields(
    *,
    date: Any,
    visitors: Any,
    findings: Any,
    demands_raised: Any,
    contact_confirmed: Any,
    confirmed_by_name: Any,
) -> dict[str, Any]:
    """A visit's fields checked together (every problem named by its field), for creating and editing."""
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {"contact_confirmed": bool(contact_confirmed)}
    for key, check in (
        ("date", lambda: _date(date, _("走访日期"), "date")),
        ("visitors", lambda: _text(visitors, _("走访人员"), "visitors", 200, required=True)),
        ("findings", lambda: _text(findings, _("发现的情况"), "findings", 4000)),
        ("demands_raised", lambda: _text(demands_raised, _("提出的需求"), "demands_raised", 4000)),
        ("confirmed_by_name", lambda: _text(confirmed_by_name, _("确认人"), "confirmed_by_name", 50)),
    ):
        try:
            clean[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if contact_confirmed and not clean.get("confirmed_by_name"):
        errors["confirmed_by_name"] = _("企业联系人确认时请填写「确认人」姓名。")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def visit_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    date: Any,
    visitors: str,
    findings: str = "",
    demands_raised: str = "",
    contact_confirmed: bool = False,
    confirmed_by_name: str = "",
) -> Visit:
    clean = check_visit_fields(
        date=date, visitors=visitors, findings=findings, demands_raised=demands_raised,
        contact_confirmed=contact_confirmed, confirmed_by_name=confirmed_by_name,
    )  # fmt: skip
    visit = Visit.objects.create(
        enterprise=enterprise,
        unit=enterprise.unit,
        created_by=actor if getattr(actor, "pk", None) else None,
        **clean,
    )
    audit_log(actor=actor, action="innovation.visit_create", obj=visit, after=snapshot(visit))
    return visit


def exif_taken_at(path: str) -> dt.datetime | None:
    """When the photo was taken, if its EXIF says so (camera local time, taken as Beijing time)."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    except (OSError, ValueError, SyntaxError, TypeError):
        return None
    if not isinstance(raw, str):
        return None
    try:
        return timezone.make_aware(dt.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S"))
    except ValueError:
        return None


@transaction.atomic
def photo_add(*, actor: Any, upload: Any, visit: Visit | None = None, log: ServiceLog | None = None) -> Photo:
    owner = visit or log
    assert owner is not None
    if owner.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传%(count)s张照片。") % {"count": MAX_PHOTOS}})
    seen: dict[str, Any] = {}

    def validate(path: str, _kind: Any) -> None:
        seen["size"] = check_image(path, field_label=_("照片"))
        seen["taken_at"] = exif_taken_at(path)
        thumb = io.BytesIO()
        make_thumbnail(path, thumb, max_side=480, field_label=_("照片"))
        seen["thumb"] = thumb.getvalue()

    folder = f"innovation/{'visits' if visit else 'logs'}/{owner.pk}"
    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=folder,
            max_bytes=MAX_PHOTO_BYTES,
            allowed_kinds=IMAGE_KINDS,
            field_label=_("照片"),
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({"photos": exc.message})
    thumb = default_storage.save(f"{folder}/{secrets.token_hex(16)}-t.jpg", ContentFile(seen["thumb"]))
    width, height = seen["size"]
    photo = Photo.objects.create(
        visit=visit,
        log=log,
        file=stored.name,
        thumbnail=thumb,
        original_name=stored.original_name,
        width=width,
        height=height,
        taken_at=seen["taken_at"],
    )
    audit_log(
        actor=actor,
        action="innovation.photo_add",
        obj=owner,
        after={"photo": photo.original_name, "taken_at": photo.taken_at},
    )
    return photo


def _check_event(event_id: Any, unit: OrgUnit, date: dt.date) -> int | None:
    """The event must exist, be the log's town's (or a unit below it) and be held that day. Events are a
    sibling domain: looked up by the app registry, never imported (they meet only through this id)."""
    if event_id in (None, ""):
        return None
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        raise ValidationError({"event_id": _("「关联活动编号」应为数字。")})
    Event = apps.get_model("events", "Event")
    event = Event.objects.filter(pk=event_id).select_related("unit").first() if 0 < event_id < 2**63 else None
    if event is None or not event.unit.path.startswith(unit.path):
        raise ValidationError(
            {
                "event_id": _("活动编号 %(id)s 不存在或不是%(unit)s的活动。")
                % {"id": event_id, "unit": unit.name}
            }
        )
    if timezone.localtime(event.starts_at).date() > date or timezone.localtime(event.ends_at).date() < date:
        raise ValidationError(
            {
                "event_id": _("活动编号 %(id)s 不在 %(date)s 举办。")
                % {"id": event_id, "date": f"{date:%Y-%m-%d}"}
            }
        )
    return event_id


def check_log_fields(
    *,
    expert: Expert,
    unit: OrgUnit,
    date: Any,
    place_kind: Any,
    place: Any,
    kind: Any,
    people_served: Any,
    hours: Any,
    topics: Any,
    event_id: Any,
) -> dict[str, Any]:
    """A service log's fields checked together, for creating and editing."""
    errors: dict[str, Any] = {}
    if not expert.is_commissioner:
        errors["expert"] = _("%(name)s不是科技特派员。") % {"name": expert.name}
    if unit.kind not in ENTERPRISE_UNIT_KINDS or not unit.is_within(expert.region):
        errors["unit_id"] = _("「服务镇」应为%(region)s的镇（街道）或园区。") % {"region": expert.region.name}
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = _("「地点类型」应为村、合作社或企业。")
    if kind not in LogKind.values:
        errors["kind"] = _("「服务方式」应为培训、现场指导、新品种/新技术推广或线上服务。")
    clean: dict[str, Any] = {}
    for key, check in (
        ("date", lambda: _date(date, _("服务日期"), "date")),
        ("place", lambda: _text(place, _("地点"), "place", 100, required=True)),
        ("topics", lambda: _text(topics, _("服务内容"), "topics", 300, required=True)),
    ):
        try:
            clean[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        clean["people_served"] = int(people_served or 0)
        if not 0 <= clean["people_served"] <= 100000:
            raise ValueError
    except (TypeError, ValueError):
        errors["people_served"] = _("「服务人数」应为 0 到 100000 的整数。")
    try:
        clean["hours"] = round(float(hours or 0), 1)
        if not 0 <= clean["hours"] <= 24:
            raise ValueError
    except (TypeError, ValueError):
        errors["hours"] = _("「服务时长」应为 0 到 24 小时。")
    if errors:
        raise ValidationError(errors)
    clean["event_id"] = _check_event(event_id, unit, clean["date"])
    return clean


@transaction.atomic
def servicelog_create(
    *,
    actor: Any,
    expert: Expert,
    unit: OrgUnit,
    date: Any,
    place_kind: str,
    place: str,
    kind: str,
    people_served: Any = 0,
    hours: Any = 0,
    topics: str = "",
    event_id: Any = None,
) -> ServiceLog:
    clean = check_log_fields(
        expert=expert, unit=unit, date=date, place_kind=place_kind, place=place, kind=kind,
        people_served=people_served, hours=hours, topics=topics, event_id=event_id,
    )  # fmt: skip
    log = ServiceLog.objects.create(
        expert=expert,
        unit=unit,
        place_kind=place_kind,
        kind=kind,
        created_by=actor if getattr(actor, "pk", None) else None,
        **clean,
    )
    audit_log(actor=actor, action="innovation.servicelog_create", obj=log, after=snapshot(log))
    return log


def check_application_fields(
    *, programme: Any, level: Any, year: Any, status: Any, amount: Any, guided_by: Any
) -> dict[str, Any]:
    from .demands import _amount

    errors: dict[str, Any] = {}
    if level not in ProgrammeLevel.values:
        errors["level"] = _("「级别」应为国家级、省级、市级或县级。")
    if status not in ApplicationStatus.values:
        errors["status"] = _("「状态」不正确。")
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("「年度」应为四位年份。")
    clean: dict[str, Any] = {"level": level, "year": year, "status": status}
    for key, check in (
        ("programme", lambda: _text(programme, _("计划项目"), "programme", 100, required=True)),
        ("amount", lambda: _amount(amount, "amount", _("支持金额"))),
        ("guided_by", lambda: _text(guided_by, _("指导人员"), "guided_by", 100)),
    ):
        try:
            clean[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def application_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    programme: str,
    level: str,
    year: Any,
    status: str = ApplicationStatus.PREPARING,
    amount: Any = None,
    guided_by: str = "",
) -> ProjectApplication:
    clean = check_application_fields(
        programme=programme, level=level, year=year, status=status, amount=amount, guided_by=guided_by
    )
    app = ProjectApplication.objects.create(enterprise=enterprise, unit=enterprise.unit, **clean)
    audit_log(actor=actor, action="innovation.application_create", obj=app, after=snapshot(app))
    return app
