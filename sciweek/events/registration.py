"""The public registers for an event: never more confirmed people than places, one registration per
mobile number, a waiting list promoted in order when someone cancels.

Places are counted in people (a registration may bring up to MAX_PARTY) in the event's shards
(events.places). The busy path takes a place from a shard without locking the event row for writing,
so registrations for one event commit side by side. When no shard has room for the party it runs
again under the event row's lock, where the places are counted exactly: the registration is then
confirmed, put on the waiting list (up to the event's waitlist_limit) or told the event is full.
Cancellations and promotions take the same lock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_status
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.masking import mask_phone
from sciweek.core.statements import insert_or_nothing, loaded
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.validators import check_mobile

from .choices import MAX_PARTY, RegStatus
from .messaging import notify_promoted
from .models import ACTIVE_REG as ACTIVE
from .models import Event, Registration, new_code
from .places import Ledger, Places, places, recount, room_left, take_place
from .ticket_tokens import unsign_ticket

__all__ = ["EventFull", "Places", "places", "recount", "registration_cancel", "registration_create"]


class EventFull(ValidationError):
    """No place for the party, and no waiting-list place. Carries the event (its title and start, for
    the answer) and the places left (fewer than the party, or none)."""

    def __init__(self, message: str, *, event: Event | None = None, left: int | None = None) -> None:
        super().__init__(message)
        self.event, self.left = event, left


class _NeedsLock(Exception):
    """No shard had room for the party: count again under the event row's lock."""


class _CodeTaken(Exception):
    """The ticket code drawn is another registration's (1 in 10^11): draw again."""


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
        errors["name"] = _("请填写姓名。")
    elif len(name) > 30:
        errors["name"] = _("姓名不能超过30个字。")
    try:
        phone = check_mobile(phone, field="phone", label="手机号")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        party = int(party_size)
    except (TypeError, ValueError):
        party = 0
    if not 1 <= party <= MAX_PARTY:
        errors["party_size"] = _("人数应为1到%(MAX_PARTY)s人。") % {"MAX_PARTY": MAX_PARTY}
    if errors:
        raise ValidationError(errors)
    return name, phone, party


def _locked_event(event_id: int) -> Event:
    """The event row, locked FOR UPDATE until commit: waits for the registrations in flight."""
    return Event.objects.select_related("unit", "campaign").select_for_update(of=("self",)).get(pk=event_id)


_E, _C, _U = (m._meta.db_table for m in (Event, Campaign, OrgUnit))
_SHARED = (
    f"SELECT e.title, e.status, c.status, e.registration_enabled, e.starts_at, e.capacity, e.waitlist_limit, "
    f"e.waitlisted_count, u.path FROM {_E} e JOIN {_C} c ON c.id = e.campaign_id "
    f"JOIN {_U} u ON u.id = e.unit_id WHERE e.id = %s{{lock}}"
)


def _shared_event(event_id: int) -> tuple[Event, str, str]:
    """(the event's registration fields, its campaign's status, its unit's path), the row held in KEY
    SHARE mode until commit: nobody changes the event meanwhile, registrations go on side by side."""
    lock = " FOR KEY SHARE OF e" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(_SHARED.format(lock=lock), [event_id])
        row = cursor.fetchone()
    if row is None:
        raise Event.DoesNotExist(_("活动不存在或尚未发布"))
    title, status, campaign_status, enabled, starts_at, capacity, waitlist_limit, waitlisted, unit_path = row
    if isinstance(starts_at, str):
        starts_at = parse_datetime(starts_at)
    if timezone.is_naive(starts_at):  # SQLite keeps UTC without the zone
        starts_at = timezone.make_aware(starts_at, dt.UTC)
    event = loaded(
        Event,
        id=event_id,
        title=title,
        status=status,
        registration_enabled=enabled,
        starts_at=starts_at,
        capacity=capacity,
        waitlist_limit=waitlist_limit,
        waitlisted_count=waitlisted,
    )
    return event, campaign_status, unit_path


def _check_open(event: Event, campaign_status: str, as_of: dt.datetime | None) -> None:
    if not event.is_published or campaign_status == "draft":
        raise Event.DoesNotExist(_("活动不存在或尚未发布"))
    check_status(campaign_status, "public_registration")
    if not event.registration_enabled:
        raise ValidationError(_("该活动不需要报名，请按时到场参加。"))
    if not event.registration_open(as_of):
        raise ValidationError(_("该活动已开始，报名已截止。"))


def _full(event: Event, left: int | None) -> EventFull:
    message = f"名额已满（剩余{left}个名额）。" if left else "名额已满，候补也已排满，感谢关注。"
    return EventFull(message, event=event, left=left)


def registration_create(
    *, event: Event, name: str, phone: str, party_size: int = 1, as_of: dt.datetime | None = None
) -> Registration:
    """Register someone for `event` (only its pk is used: the row is read again in the transaction).

    A second live registration of the same mobile number is refused by the database's unique
    constraint, not by a look-up first: the look-up would cost every registration a query."""
    name, phone, party_size = check_registrant(name=name, phone=phone, party_size=party_size)
    locked = False
    for _attempt in range(4):
        try:
            return _register(event.pk, name, phone, party_size, as_of, locked=locked)
        except _NeedsLock:
            locked = True
        except _CodeTaken:
            pass
    raise IntegrityError("no free ticket code after four draws")


@transaction.atomic
def _register(
    event_id: int, name: str, phone: str, party_size: int, as_of: dt.datetime | None, *, locked: bool
) -> Registration:
    """One attempt: take a place from a shard (busy path), or count under the event row's lock."""
    if locked:
        event = _locked_event(event_id)
        campaign_status, unit_path = event.campaign.status, event.unit.path
    else:
        event, campaign_status, unit_path = _shared_event(event_id)
    _check_open(event, campaign_status, as_of)
    ledger = Ledger(event) if locked else None
    if ledger is not None:
        if ledger.fits(party_size):
            status = RegStatus.CONFIRMED
        elif event.waitlisted_count < event.waitlist_limit:
            status = RegStatus.WAITLISTED
        else:
            raise _full(event, ledger.left)
    elif take_place(event_id=event_id, capacity=event.capacity, party_size=party_size):
        status = RegStatus.CONFIRMED
    else:
        left = room_left(event_id=event_id, capacity=event.capacity)
        if left is not None and left < party_size and event.waitlisted_count >= event.waitlist_limit:
            raise _full(event, left)  # exact without the lock: see room_left
        raise _NeedsLock
    registration = Registration(
        event=event, name=name, phone=phone, party_size=party_size, status=status, code=new_code()
    )
    if not insert_or_nothing(registration):  # rolls back the place taken with the exception
        if Registration.objects.filter(event_id=event_id, phone=phone, status__in=ACTIVE).exists():
            raise ValidationError(
                {
                    "phone": (
                        _("手机号%(mask_phone)s已报名本活动，无需重复报名。")
                        % {"mask_phone": mask_phone(phone)}
                    )
                }
            )
        raise _CodeTaken
    if ledger is not None:
        if status == RegStatus.CONFIRMED:
            ledger.take(party_size)
        else:
            event.waitlisted_count += 1
        ledger.save()
    audit_log(
        actor="公众",
        action="registration.create",
        obj=registration,
        unit_path=unit_path,
        after={
            "event": event_id,
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
    event = _locked_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegStatus.CANCELLED:
        return []
    if hasattr(registration, "checkin"):
        raise ValidationError(_("已签到的报名不能取消。"))
    if clock.now() >= event.ends_at:
        raise ValidationError(_("活动已结束，无需取消。"))
    was = registration.status
    registration.status, registration.cancelled_at = RegStatus.CANCELLED, clock.now()
    registration.save(update_fields=["status", "cancelled_at"])
    ledger = Ledger(event)
    if was == RegStatus.CONFIRMED:
        ledger.give_back(registration.party_size)
    else:
        event.waitlisted_count = max(0, event.waitlisted_count - 1)
    ledger.save()
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
    """Give free places to the waiting list in registration order (call with the event row locked
    FOR UPDATE: cancelling, or changing the event, which may have brought more places).

    A party too big for the places left is passed over for now, so a place is never left empty
    while someone smaller waits; it keeps its position for the next place that opens.
    """
    if not event.registration_enabled:
        return []
    ledger = Ledger(event)  # a capacity lowered below the people confirmed is refused here
    left = ledger.left
    promoted: list[Registration] = []
    candidates = event.registrations.filter(status=RegStatus.WAITLISTED)
    if left is not None:
        candidates = candidates.filter(party_size__lte=left)
    for reg in candidates.order_by("created_at", "id").select_for_update():
        if left is not None and reg.party_size > left:
            continue
        reg.status, reg.promoted_at = RegStatus.CONFIRMED, clock.now()
        reg.save(update_fields=["status", "promoted_at"])
        ledger.take(reg.party_size)
        event.waitlisted_count = max(0, event.waitlisted_count - 1)
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
    ledger.save()
    if promoted:  # H2 hook: a text message to each, sent after the commit (events/messaging.py)
        notify_promoted(event=event, registrations=promoted)
    return promoted
