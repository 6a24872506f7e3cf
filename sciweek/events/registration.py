"""The public registers for a capped event: lock the event row → count → write (never oversold).

Places are counted in people (a registration may bring up to MAX_PARTY). When the event is full,
a registration joins the waiting list (up to the event's waitlist_limit) or is told the event is
full; a cancelled confirmed place is handed to the waiting list in registration order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from sciweek.core.audit import audit_log
from sciweek.orgs.validators import check_mobile, mask_phone

from .choices import MAX_PARTY, RegStatus
from .models import ACTIVE_REG as ACTIVE
from .models import Event, Registration, new_code

# Switched off only by the concurrency test, to show that it catches the oversell without the lock.
LOCK_EVENT_ROW = True
TICKET_SALT = "sciweek.events.ticket"


class EventFull(ValidationError):
    """Every place and every waiting-list place is taken."""


@dataclass(frozen=True)
class Places:
    capacity: int | None
    confirmed: int  # people holding a confirmed place
    waitlisted: int  # registrations on the waiting list

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


def places(event: Event) -> Places:
    """Places taken and waiting, from the event's counters (exact when read under the row lock)."""
    if not event.registration_enabled:
        return Places(None, event.confirmed_places, event.waitlisted_count)
    return Places(event.capacity, event.confirmed_places, event.waitlisted_count)


def recount(event: Event) -> Places:
    """The same figures counted from the registrations themselves (for checks and repairs)."""
    row = event.registrations.aggregate(
        confirmed=Sum("party_size", filter=Q(status=RegStatus.CONFIRMED)),
        waiting=Count("id", filter=Q(status=RegStatus.WAITLISTED)),
    )
    return Places(
        event.capacity if event.registration_enabled else None, row["confirmed"] or 0, row["waiting"] or 0
    )


def _save_counts(event: Event, confirmed: int, waitlisted: int) -> None:
    """Write the counters (call with the row locked; without the lock two writers would lose updates)."""
    event.confirmed_places, event.waitlisted_count = confirmed, waitlisted
    Event.objects.filter(pk=event.pk).update(confirmed_places=confirmed, waitlisted_count=waitlisted)


def ticket_token(registration: Registration) -> str:
    """The signed, unguessable token in the ticket QR code and the ticket / cancel links."""
    return signing.dumps(
        {"r": registration.pk, "n": registration.ticket_nonce}, salt=TICKET_SALT, compress=True
    )


def unsign_ticket(token: str) -> tuple[int, str] | None:
    """(registration id, nonce) from a ticket token whose signature holds, else None."""
    try:
        data = signing.loads((token or "").strip(), salt=TICKET_SALT)
        return int(data["r"]), str(data.get("n", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None


def registration_from_token(token: str) -> Registration | None:
    """The registration a token stands for, or None if the token is forged, mangled or revoked."""
    signed = unsign_ticket(token)
    if signed is None:
        return None
    registration = Registration.objects.select_related("event", "event__unit").filter(pk=signed[0]).first()
    return registration if registration is not None and registration.ticket_nonce == signed[1] else None


def check_registrant(*, name: str, phone: str, party_size: Any) -> tuple[str, str, int]:
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "请填写姓名。"
    elif len(name) > 30:
        errors["name"] = "姓名不能超过30个字。"
    try:
        phone = check_mobile(phone, field="phone", label="手机号")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        party = int(party_size)
    except (TypeError, ValueError):
        party = 0
    if not 1 <= party <= MAX_PARTY:
        errors["party_size"] = f"人数应为1到{MAX_PARTY}人。"
    if errors:
        raise ValidationError(errors)
    return name, phone, party


LOCKED_FIELDS = (
    "id",
    "title",
    "status",
    "starts_at",
    "ends_at",
    "registration_enabled",
    "capacity",
    "waitlist_limit",
    "confirmed_places",
    "waitlisted_count",
    "unit__id",
    "unit__path",
    "campaign__id",
    "campaign__status",
)


def _locked_event(event: Event) -> Event:
    """The event row, locked until commit (only the columns the capacity check needs: short to fetch)."""
    qs = Event.objects.select_related("unit", "campaign").only(*LOCKED_FIELDS)
    return qs.select_for_update(of=("self",)).get(pk=event.pk) if LOCK_EVENT_ROW else qs.get(pk=event.pk)


def registration_create(
    *, event: Event, name: str, phone: str, party_size: int = 1, as_of: dt.datetime | None = None
) -> Registration:
    """Register someone for `event` (only its pk is used: the row is read again under its lock).

    A second live registration of the same mobile number is refused by the database's unique
    constraint, not by a look-up first: the look-up would cost every registration a query."""
    name, phone, party_size = check_registrant(name=name, phone=phone, party_size=party_size)
    taken = f"手机号{mask_phone(phone)}已报名本活动，无需重复报名。"
    try:
        return _register(event, name, phone, party_size, as_of)
    except IntegrityError:
        if Registration.objects.filter(event_id=event.pk, phone=phone, status__in=ACTIVE).exists():
            raise ValidationError({"phone": taken})
        return _register(event, name, phone, party_size, as_of)  # a ticket-code clash (1 in 10^11): once more


@transaction.atomic
def _register(
    event: Event, name: str, phone: str, party_size: int, as_of: dt.datetime | None
) -> Registration:
    """Lock → count → write, and nothing else while the lock is held: each statement here is paid for
    by everyone waiting for the same event."""
    event = _locked_event(event)
    if not event.is_published or event.campaign.status == "draft":
        raise Event.DoesNotExist("活动不存在或尚未发布")
    if not event.registration_enabled:
        raise ValidationError("该活动不需要报名，请按时到场参加。")
    if not event.registration_open(as_of):
        raise ValidationError("该活动已开始，报名已截止。")
    now = places(event)
    if now.capacity is None or now.confirmed + party_size <= now.capacity:
        status = RegStatus.CONFIRMED
    elif now.waitlisted < event.waitlist_limit:
        status = RegStatus.WAITLISTED
    else:
        left = now.left or 0
        raise EventFull(f"名额已满（剩余{left}个名额）。" if left else "名额已满，候补也已排满，感谢关注。")
    registration = Registration.objects.create(
        event=event, name=name, phone=phone, party_size=party_size, status=status, code=new_code()
    )
    if status == RegStatus.CONFIRMED:
        _save_counts(event, now.confirmed + party_size, now.waitlisted)
    else:
        _save_counts(event, now.confirmed, now.waitlisted + 1)
    audit_log(
        actor="公众",
        action="registration.create",
        obj=registration,
        unit_path=event.unit.path,
        after={
            "event": event.pk,
            "name": name,
            "phone": mask_phone(phone),
            "party_size": party_size,
            "status": status,
        },
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: Any = "公众") -> list[Registration]:
    """Cancel; a confirmed place freed goes to the waiting list. Returns the registrations promoted."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegStatus.CANCELLED:
        return []
    if hasattr(registration, "checkin"):
        raise ValidationError("已签到的报名不能取消。")
    if timezone.now() >= event.ends_at:
        raise ValidationError("活动已结束，无需取消。")
    was = registration.status
    registration.status, registration.cancelled_at = RegStatus.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was == RegStatus.CONFIRMED:
        _save_counts(event, max(0, event.confirmed_places - registration.party_size), event.waitlisted_count)
    else:
        _save_counts(event, event.confirmed_places, max(0, event.waitlisted_count - 1))
    audit_log(
        actor=actor,
        action="registration.cancel",
        obj=registration,
        unit_path=event.unit.path,
        before={"status": was},
        after={"status": registration.status},
    )
    return promote_waitlist(event=event) if was == RegStatus.CONFIRMED else []


def promote_waitlist(*, event: Event) -> list[Registration]:
    """Give free places to the waiting list in registration order (call with the event row locked).

    A party too big for the places left is passed over for now, so a place is never left empty
    while someone smaller waits; it keeps its position for the next place that opens.
    """
    if not event.registration_enabled:
        return []
    left = places(event).left
    promoted: list[Registration] = []
    if left is None:
        candidates = event.registrations.filter(status=RegStatus.WAITLISTED).order_by("created_at", "id")
    else:
        candidates = event.registrations.filter(status=RegStatus.WAITLISTED, party_size__lte=left)
        candidates = candidates.order_by("created_at", "id")
    for reg in candidates.select_for_update():
        if left is not None and reg.party_size > left:
            continue
        reg.status, reg.promoted_at = RegStatus.CONFIRMED, timezone.now()
        reg.save(update_fields=["status", "promoted_at"])
        _save_counts(event, event.confirmed_places + reg.party_size, max(0, event.waitlisted_count - 1))
        audit_log(
            actor="系统",
            action="registration.promote",
            obj=reg,
            unit_path=event.unit.path,
            after={"status": reg.status},
        )
        promoted.append(reg)
        if left is not None:
            left -= reg.party_size
            if left <= 0:
                break
    return promoted
