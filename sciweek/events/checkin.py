"""Check-in at the door: scanned tickets, typed codes, walk-ins, and scans synced later.

Every scan carries a UUID made on the phone. A scan is stored once under that UUID (unique in the
database), so a phone that lost the network and sends its queue twice — or two tabs sending the
same queue at once — changes nothing the second time: the answer is the one stored the first time.
Arrivals are deduplicated by the database too: one check-in per registration, one per mobile number.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.statements import insert_or_nothing, loaded

from .choices import CheckInMethod, RegStatus, ScanResult
from .models import CODE_ALPHABET, CODE_LENGTH, CheckIn, Event, Registration, Scan
from .registration import check_registrant
from .ticket_tokens import unsign_ticket

CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_QUEUE_AGE = dt.timedelta(days=3)
_TYPED = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


@dataclass(frozen=True)
class ScanOutcome:
    uuid: str
    result: str
    message: str
    name: str = ""
    checked_in_at: str = ""  # "10:32"
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.result == ScanResult.OK


def _hhmm(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _when(scanned_at: dt.datetime | None) -> dt.datetime:
    """The phone's scan time if it is plausible (queued offline scans keep their real time)."""
    now = clock.now()
    if scanned_at is None:
        return now
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at)
    return scanned_at if now - MAX_QUEUE_AGE <= scanned_at <= now + CLOCK_SKEW else now


Found = tuple[Registration | None, str]  # the registration a scanned text stands for, and how it came


def _typed(text: str) -> str | None:
    code = re.sub(r"[\s-]", "", text).upper()
    return code if _TYPED.match(code) else None


def _find_registration(event: Event, raw: str) -> Found:
    return _find_many(event, [raw])[raw]


_LOOKUP = (
    "SELECT id, event_id, name, phone, party_size, status, code, ticket_nonce "
    f"FROM {Registration._meta.db_table} WHERE "
)


def _lookup(event: Event, codes: set[str], pks: set[int]) -> list[Registration]:
    """Registrations by typed code (this event's) or by id, in one query.

    Written out: the ORM would spend longer building this query than the database takes to run it,
    and a single scan at the door is little more than this query and three inserts."""
    where: list[str] = []
    params: list[Any] = []
    if codes:
        where.append(f"(event_id = %s AND code IN ({', '.join(['%s'] * len(codes))}))")
        params += [event.pk, *sorted(codes)]
    if pks:
        where.append(f"id IN ({', '.join(['%s'] * len(pks))})")
        params += sorted(pks)
    if not where:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP + " OR ".join(where), params)
        rows = cursor.fetchall()
    fields = ("id", "event_id", "name", "phone", "party_size", "status", "code", "ticket_nonce")
    return [loaded(Registration, **dict(zip(fields, row, strict=True))) for row in rows]


def _find_many(event: Event, raws: list[str]) -> dict[str, Found]:
    """The registration each scanned text stands for (a typed code of this event, or a signed token)."""
    typed = {raw: code for raw in raws if (code := _typed((raw or "").strip())) is not None}
    signed = {
        raw: t for raw in raws if raw not in typed and (t := unsign_ticket((raw or "").strip())) is not None
    }
    rows = _lookup(event, set(typed.values()), {pk for pk, _nonce in signed.values()})
    by_code = {r.code: r for r in rows if r.event_id == event.pk}
    by_pk = {r.pk: r for r in rows}
    found: dict[str, Found] = {}
    for raw in raws:
        if raw in typed:
            found[raw] = (by_code.get(typed[raw]), CheckInMethod.TYPED)
        elif (
            raw in signed
            and (r := by_pk.get(signed[raw][0])) is not None
            and r.ticket_nonce == signed[raw][1]
        ):
            found[raw] = (r, CheckInMethod.SCAN)
        else:
            found[raw] = (None, CheckInMethod.SCAN)
    return found


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _arrive(
    event: Event, registration: Registration, when: dt.datetime, method: str, actor: Any
) -> tuple[str, str, CheckIn | None, bool]:
    """(result, message, the check-in, whether this call made it)."""
    if registration.event_id != event.pk:
        return (
            ScanResult.OTHER_EVENT,
            f"这是「{registration.event.title}」的票，不是本活动的票。",
            None,
            False,
        )
    if registration.status == RegStatus.CANCELLED:
        return ScanResult.CANCELLED, f"{registration.name}的报名已取消。", None, False
    if registration.status == RegStatus.WAITLISTED:
        return ScanResult.WAITLISTED, f"{registration.name}在候补名单中，尚未获得名额。", None, False
    checkin = CheckIn(
        event=event,
        registration=registration,
        name=registration.name,
        phone=registration.phone,
        party_size=registration.party_size,
        method=method,
        checked_in_at=when,
        by=_by(actor),
    )
    # The database decides who was first: one check-in per registration and per mobile number.
    if insert_or_nothing(checkin):
        return ScanResult.OK, f"{registration.name}（{registration.party_size}人）签到成功。", checkin, True
    existing = (
        CheckIn.objects.filter(registration=registration).first()
        or CheckIn.objects.filter(event=event, phone=registration.phone).first()
    )
    if existing is None:  # the check-in that refused ours was deleted in between
        raise IntegrityError("check-in vanished")
    return ScanResult.DUPLICATE, f"{registration.name}已签到 {_hhmm(existing.checked_in_at)}", existing, False


@transaction.atomic(savepoint=False)
def checkin_scan(
    *,
    actor: Any,
    event: Event,
    raw: str,
    scan_uuid: str | uuidlib.UUID | None = None,
    scanned_at: dt.datetime | None = None,
    found: Found | None = None,
) -> ScanOutcome:
    """One scanned QR token or typed ticket code. Safe to call again with the same scan_uuid.

    `found` is the registration already looked up (checkin_sync does a whole queue at once)."""
    if "campaign_id" in event.__dict__:  # a door pass's event (door.py) was checked when the pass was issued
        check_open(event.campaign, "checkin")
    try:
        key = uuidlib.UUID(str(scan_uuid)) if scan_uuid else uuidlib.uuid4()
    except ValueError:
        return ScanOutcome(str(scan_uuid)[:40], ScanResult.INVALID, "扫码记录编号无效。")
    when = _when(scanned_at)
    registration, method = found if found is not None else _find_registration(event, raw)
    checkin: CheckIn | None = None
    created = False
    result: str
    if registration is None:
        result, message = ScanResult.INVALID, "无效票码：无法识别或已被篡改，请核对后重试。"
    else:
        result, message, checkin, created = _arrive(event, registration, when, method, actor)
    scan = Scan(
        uuid=key,
        event=event,
        raw=(raw or "")[:200],
        result=result,
        checkin=checkin,
        message=message[:200],
        scanned_at=when,
        by=_by(actor),
    )
    if not insert_or_nothing(scan):
        # This UUID is stored already: the phone is sending its queue again. Keep nothing of this
        # call, and give the first answer again.
        if created and checkin is not None:
            CheckIn.objects.filter(pk=checkin.pk).delete()
        return _outcome(Scan.objects.select_related("checkin").get(uuid=key), replayed=True)
    if created and checkin is not None:
        audit_log(
            actor=actor,
            action="checkin.scan",
            obj=checkin,
            unit_path=event.unit.path,
            after={"registration": registration.pk if registration else None, "method": method},
        )
    return _outcome(scan)


def _outcome(scan: Scan, *, replayed: bool = False) -> ScanOutcome:
    checkin = scan.checkin
    return ScanOutcome(
        str(scan.uuid),
        scan.result,
        scan.message,
        checkin.name if checkin else "",
        _hhmm(checkin.checked_in_at) if checkin else "",
        replayed,
    )


DEADLOCK = "40P01"


def checkin_sync(*, actor: Any, event: Event, scans: list[dict[str, Any]]) -> list[ScanOutcome]:
    """A phone's queue: [{"uuid", "code", "scanned_at"}…], in one transaction: one commit for the batch.

    Scans are applied sorted by ticket code (then in the order scanned), so two phones (or a phone and its own retry) sending
    overlapping queues at once take their locks in the same order. Should PostgreSQL still find a
    deadlock, the losing batch waits a moment and runs again: every scan in it is replay-safe.
    Answers come back in the order the scans were sent."""
    items = []
    for position, item in enumerate(scans[:500]):
        scanned_at = item.get("scanned_at")
        if isinstance(scanned_at, str):
            try:
                scanned_at = dt.datetime.fromisoformat(scanned_at.replace("Z", "+00:00"))
            except ValueError:
                scanned_at = None
        items.append((str(item.get("code") or ""), str(item.get("uuid") or ""), position, scanned_at))
    items.sort(key=lambda it: (it[0], it[2]))
    attempts = 1 if connection.in_atomic_block else 5
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                found = _find_many(event, [raw for raw, _key, _pos, _at in items])
                done = {
                    position: checkin_scan(
                        actor=actor,
                        event=event,
                        raw=raw,
                        scan_uuid=key or None,
                        scanned_at=at,
                        found=found[raw],
                    )
                    for raw, key, position, at in items
                }
            return [done[i] for i in range(len(items))]
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", "") != DEADLOCK or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))  # noqa: S311 — jitter, not security
    raise AssertionError("unreachable")


@transaction.atomic
def checkin_walkin(
    *, event: Event, name: str, phone: str, party_size: int = 1, actor: Any = "公众"
) -> ScanOutcome:
    """Someone at the venue checks in from the poster's QR code (name + mobile)."""
    name, phone, party_size = check_registrant(name=name, phone=phone, party_size=party_size)
    event = Event.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=event.pk)
    check_open(event.campaign, "checkin")
    if not event.is_published or not event.is_offline:
        raise ValidationError(_("该活动不在现场签到。"))
    now = clock.now()
    first_day = timezone.localtime(event.starts_at).date()
    if timezone.localtime(now).date() < first_day or now > event.ends_at + dt.timedelta(hours=2):
        raise ValidationError(
            _("现场签到只在活动期间开放（%(starts_at)s起）。")
            % {"starts_at": format(timezone.localtime(event.starts_at), _("%Y年%-m月%-d日 %H:%M"))}
        )
    if (done := CheckIn.objects.filter(event=event, phone=phone).first()) is not None:
        return ScanOutcome(
            "",
            ScanResult.DUPLICATE,
            f"{done.name}已签到 {_hhmm(done.checked_in_at)}",
            done.name,
            _hhmm(done.checked_in_at),
        )
    registration = event.registrations.filter(phone=phone, status=RegStatus.CONFIRMED).first()
    if registration is not None:
        result, message, _checkin, created = _arrive(event, registration, now, CheckInMethod.WALKIN, actor)
        if created:
            audit_log(
                actor=actor,
                action="checkin.walkin",
                obj=_checkin,
                unit_path=event.unit.path,
                after={"registration": registration.pk},
            )
        return ScanOutcome("", result, message, registration.name, _hhmm(now))
    if event.capacity is not None:
        arrived = arrivals(event)["people"]
        if arrived + party_size > event.capacity:
            raise ValidationError(
                _("现场人数已达上限（%(capacity)s人），请听从工作人员安排。") % {"capacity": event.capacity}
            )
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                event=event,
                name=name,
                phone=phone,
                party_size=party_size,
                method=CheckInMethod.WALKIN,
                checked_in_at=now,
            )
    except IntegrityError:
        done = CheckIn.objects.get(event=event, phone=phone)
        return ScanOutcome("", ScanResult.DUPLICATE, f"{done.name}已签到 {_hhmm(done.checked_in_at)}")
    audit_log(
        actor=actor,
        action="checkin.walkin",
        obj=checkin,
        unit_path=event.unit.path,
        after={"party_size": party_size},
    )
    return ScanOutcome("", ScanResult.OK, f"{name}（{party_size}人）签到成功，欢迎参加！", name, _hhmm(now))


def arrivals(event: Event) -> dict[str, int]:
    row = CheckIn.objects.filter(event=event).aggregate(
        n=Count("id"),
        people=Sum("party_size"),
        walkins=Sum("party_size", filter=Q(registration__isnull=True)),
    )
    return {"checkins": row["n"] or 0, "people": row["people"] or 0, "walkin_people": row["walkins"] or 0}
