"""Exactly once: claim each occurrence's unique key, then send what was claimed.

1. ``claim`` inserts the planned occurrences with ``ON CONFLICT DO NOTHING RETURNING``: a row another
   tick inserted first is simply not returned, so only its inserter goes on. In-app notifications
   are written in the same transaction as their claim (both or neither, even after a crash).
2. E-mails and texts wait as ``pending`` until their time (quiet hours move texts to the morning);
   ``deliver`` takes a batch by a conditional UPDATE (pending → sending, stamped with a token), so two
   deliveries never share a row; a crash after that leaves the row ``sending`` for the organizer to
   look at and resend (the message may have gone out), never to be sent again by itself.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from sciweek.campaigns.compliance import unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.core import clock
from sciweek.core.cache import bump_generation
from sciweek.core.models import Notification
from sciweek.core.sms import Outgoing, sms_queue
from sciweek.core.statements import insert_rows
from sciweek.orgs.models import OrgUnit

from .models import Channel, Occurrence, Preference
from .personal import run_personal_ticks
from .planning import Planned, plan

log = logging.getLogger("sciweek.reminders")

ST = Occurrence.Status
_COLUMNS = (
    "requirement_id",
    "unit_id",
    "user_id",
    "channel",
    "slot",
    "due_at",
    "send_after",
    "escalation",
    "status",
    "address",
    "subject",
    "text",
    "link",
    "detail",
    "attempts",
    "created_at",
    "sent_at",
    "claimed_by",
    "claimed_at",
)
BATCH = 2000
# Hook for the race test: runs between planning and claiming (two ticks meet there).
after_plan: Callable[[], None] | None = None


@dataclass
class TickResult:
    planned: int = 0
    claimed: int = 0
    inapp: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    personal: int = 0  # reminders claimed by the domains' personal ticks (personal.py)

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _insert_sql(rows: int) -> str:
    table = connection.ops.quote_name(Occurrence._meta.db_table)
    cols = ", ".join(_COLUMNS)
    if connection.vendor == "postgresql":
        # One JSON parameter for the whole batch (see core/statements.py for why).
        body = f"SELECT {cols} FROM json_populate_recordset(NULL::{table}, %s::json)"
    else:
        body = "VALUES " + ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * rows)
    return (
        f"INSERT INTO {table} ({cols}) {body} ON CONFLICT (requirement_id, unit_id, user_id, channel, slot) "
        "DO NOTHING RETURNING id, requirement_id, unit_id, user_id, channel, slot"
    )


def _row(p: Planned, now: dt.datetime) -> tuple:
    inapp = p.channel == Channel.INAPP
    return (
        p.requirement_id,
        p.unit_id,
        p.user_id,
        p.channel,
        p.slot,
        p.due_at,
        p.send_after,
        p.escalation,
        ST.SENT if inapp else ST.PENDING,
        p.address,
        p.subject[:200],
        p.text,
        p.link[:300],
        "",
        1 if inapp else 0,
        now,
        now if inapp else None,
        "",
        None,
    )


def _insert(rows: list[tuple]) -> list[tuple]:
    if not rows:
        return []
    out: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            iso: dict[dt.datetime, str] = {}  # the same few moments on every row: format each once
            for start in range(0, len(rows), BATCH):
                chunk = []
                for r in rows[start : start + BATCH]:
                    record = dict(zip(_COLUMNS, r, strict=True))
                    for c in ("due_at", "send_after", "created_at", "sent_at"):
                        v = record[c]
                        if v is not None:
                            record[c] = iso.get(v) or iso.setdefault(v, v.isoformat())
                    chunk.append(record)
                cursor.execute(_insert_sql(len(chunk)), [json.dumps(chunk, ensure_ascii=False)])
                out.extend(cursor.fetchall())
        else:
            size = max(1, 900 // len(_COLUMNS))
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                params = [
                    connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
                    for r in chunk
                    for v in r
                ]
                cursor.execute(_insert_sql(len(chunk)), params)
                out.extend(cursor.fetchall())
    return out


def claim(planned: Sequence[Planned], *, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """Insert the occurrences nobody claimed yet; write the in-app ones' notifications. Returns the
    (id, channel) of the rows this call claimed."""
    now = now or timezone.now()
    by_key = {p.key: p for p in planned}
    with transaction.atomic():
        claimed = _insert([_row(p, now) for p in by_key.values()])
        inapp = [by_key[tuple(r[1:])] for r in claimed if r[4] == Channel.INAPP]
        if inapp:
            _notify(inapp, now)
    return [(r[0], r[4]) for r in claimed]


def _notify(planned: Sequence[Planned], now: dt.datetime) -> None:
    insert_rows(
        Notification,
        ("user_id", "title", "body", "link", "created_at"),
        [(p.user_id, p.subject[:200], p.text, p.link[:300], now) for p in planned],
    )
    bump_generation()


def send_unclaimed(planned: Sequence[Planned], *, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """The naive way, kept only to show the race the claim prevents: look, send, then record."""
    now = now or timezone.now()
    keys = {p.key for p in planned}
    have = set(
        Occurrence.objects.filter(
            requirement_id__in={k[0] for k in keys}, unit_id__in={k[1] for k in keys}
        ).values_list("requirement_id", "unit_id", "user_id", "channel", "slot")
    )
    fresh = [p for p in {p.key: p for p in planned}.values() if p.key not in have]
    if after_plan is not None:
        after_plan()
    _notify([p for p in fresh if p.channel == Channel.INAPP], now)
    _insert([_row(p, now) for p in fresh])
    return [(0, p.channel) for p in fresh]


def _day_start(at: dt.datetime) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localtime(at).date(), dt.time.min))


def deliver(
    *, at: dt.datetime | None = None, limit: int = 500, ids: Sequence[int] | None = None
) -> TickResult:
    """Send the e-mails and texts whose time has come (or the given rows, for a resend)."""
    at = at or clock.now()
    result = TickResult()
    token = secrets.token_hex(8)
    _release_unattempted()
    pending = Occurrence.objects.filter(status=ST.PENDING)
    pending = pending.filter(pk__in=list(ids)) if ids is not None else pending.filter(send_after__lte=at)
    batch = list(pending.order_by("send_after", "id").values_list("id", flat=True)[:limit])
    if not batch:
        return result
    Occurrence.objects.filter(pk__in=batch, status=ST.PENDING).update(
        status=ST.SENDING, claimed_by=token, claimed_at=timezone.now()
    )
    rows = list(Occurrence.objects.filter(claimed_by=token, status=ST.SENDING).select_related("requirement"))
    caps = {p.user_id: p.daily_cap for p in Preference.objects.filter(user_id__in={r.user_id for r in rows})}
    counts = Counter(
        dict(
            Occurrence.objects.filter(
                user_id__in={r.user_id for r in rows},
                status=ST.SENT,
                channel__in=[Channel.EMAIL, Channel.SMS],
                sent_at__gte=_day_start(at),
            )
            .values("user_id")
            .annotate(n=Count("id"))
            .values_list("user_id", "n")
        )
    )
    mail = get_connection(fail_silently=False)
    done_units: dict[tuple[int, int], bool] = {}
    for row in rows:
        cap = caps.get(row.user_id, Preference._meta.get_field("daily_cap").default)
        if row.send_after > row.due_at + dt.timedelta(minutes=1) and ids is None:
            # Held back by quiet hours: ask again whether the unit is still behind.
            key = (row.requirement_id, row.unit_id)
            if key not in done_units:
                unit = OrgUnit.objects.get(pk=row.unit_id)
                done_units[key] = unit_compliance(row.requirement, unit).done
            if done_units[key]:
                _finish(row, ST.SKIPPED, "单位已完成，不再提醒")
                result.skipped += 1
                continue
        if counts[row.user_id] >= cap and ids is None:
            _finish(row, ST.SKIPPED, f"已达每日提醒上限（{cap}条）")
            result.skipped += 1
            continue
        # Counted before the attempt: a row left "sending" with no attempt was never tried and may go
        # back to the queue; one with an attempt may have gone out, so only a person resends it.
        Occurrence.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        try:
            if row.channel == Channel.EMAIL:
                EmailMessage(
                    row.subject, row.text, settings.DEFAULT_FROM_EMAIL, [row.address], connection=mail
                ).send()
                _finish(row, ST.SENT, "")
            else:
                with transaction.atomic():
                    (msg,) = sms_queue(
                        messages=[Outgoing(phone=row.address, text=_signed(row.text), kind="reminder")]
                    )
                    row.message = msg
                    _finish(row, ST.SENT, "已交短信通道")
        except Exception as exc:  # noqa: BLE001 — a failure is the row's status, not the tick's
            log.warning("reminder %s by %s failed: %s", row.pk, row.channel, exc)
            _finish(row, ST.FAILED, (str(exc) or type(exc).__name__)[:500])
            result.failed += 1
            continue
        counts[row.user_id] += 1
        result.sent += 1
    return result


RELEASE_AFTER = dt.timedelta(minutes=5)


def _release_unattempted() -> None:
    """Rows a crashed delivery took but never tried go back to the queue."""
    Occurrence.objects.filter(
        status=ST.SENDING, attempts=0, claimed_at__lt=timezone.now() - RELEASE_AFTER
    ).update(status=ST.PENDING, claimed_by="", claimed_at=None)


def _signed(text: str) -> str:
    sig = getattr(settings, "SCIWEEK_SMS_SIGNATURE", "")
    return f"【{sig}】{text}" if sig else text


def _finish(row: Occurrence, status: str, detail: str) -> None:
    row.status = status
    row.detail = detail
    row.sent_at = timezone.now() if status == ST.SENT else None
    Occurrence.objects.filter(pk=row.pk).update(
        status=status, detail=detail, sent_at=row.sent_at, message=row.message
    )


def tick(
    *, at: dt.datetime | None = None, campaign_ids: list[int] | None = None, use_claim: bool = True
) -> TickResult:
    """Plan what is due at ``at``, claim it, and send the e-mails and texts whose time has come."""
    at = at or clock.now()
    planned = plan(at=at, campaign_ids=campaign_ids)
    result = TickResult(planned=len(planned))
    if use_claim:
        if after_plan is not None:
            after_plan()
        claimed = claim(planned)
    else:
        claimed = send_unclaimed(planned)
    result.claimed = len(claimed)
    result.inapp = sum(1 for _, channel in claimed if channel == Channel.INAPP)
    result.personal = run_personal_ticks(at=at)
    sent = deliver(at=at, limit=100_000)
    result.sent, result.failed, result.skipped = sent.sent, sent.failed, sent.skipped
    return result


def requirement_label(kind: str) -> str:
    return Requirement.Kind(kind).label if kind in Requirement.Kind.values else kind
