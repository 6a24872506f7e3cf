"""An event's places, split into shards so that registrations for one event do not queue on one row.

Registrations used to lock the event row, count, write, and keep the lock until their commit had
reached the disk: however fast the server, one event took one registration per disk flush (~8 ms).
Now the capacity is split over up to SHARDS rows (PlaceShard: quota, taken; the database refuses
taken > quota). A registration adds its party to the first shard with room that nobody else holds
(FOR UPDATE SKIP LOCKED) and keeps only that row locked until it commits, so registrations for the
same event commit side by side and PostgreSQL flushes their commits together.

Kept by this module only:
- Σ quota = capacity (every quota None when there is no limit): the shards are shaped, reshaped and
  rebalanced only by `Ledger`, under the event row's FOR UPDATE lock;
- Σ taken = the people holding a confirmed place: a confirmation adds to one shard and a
  cancellation takes off, each in the transaction that changes the registration.

Whoever takes a place holds the event row in KEY SHARE mode first (the registration's foreign key
takes that lock anyway), and whoever changes the event — an edit, a cancellation, `Ledger` here —
locks it FOR UPDATE: the writer waits for the registrations in flight, then has the shards to itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from .choices import MAX_PARTY, RegStatus
from .models import Event, PlaceShard

SHARDS = 32  # above the registrations one event has in flight at once (servers × workers × threads)
# Switched off only by the concurrency test (SCIWEEK_TEST_NO_LOCK=1), to show that it catches the
# oversell without it: a shard is then read, and written back with the party added, unlocked.
LOCK_PLACES = True


@dataclass(frozen=True)
class Places:
    capacity: int | None
    confirmed: int  # people holding a confirmed place
    waitlisted: int  # registrations on the waiting list

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


def places(event: Event) -> Places:
    """Places taken and waiting now (one query over the event's shards)."""
    return places_many([event])[event.pk]


def places_many(events: list[Event]) -> dict[int, Places]:
    """``places`` of many events in one query (the API's lists). An event without shards has had no
    registration yet, or only before the shards existed: its counter is exact then."""
    enabled = [e.pk for e in events if e.registration_enabled]
    shards = PlaceShard.objects.filter(event_id__in=enabled).values("event_id").annotate(taken=Sum("taken"))
    taken = {r["event_id"]: r["taken"] or 0 for r in shards.order_by()} if enabled else {}
    return {
        e.pk: Places(
            e.capacity if e.registration_enabled else None,
            taken.get(e.pk, e.confirmed_places),
            e.waitlisted_count,
        )
        for e in events
    }


def recount(event: Event) -> Places:
    """The same figures counted from the registrations themselves (for checks and repairs)."""
    row = event.registrations.aggregate(
        confirmed=Sum("party_size", filter=Q(status=RegStatus.CONFIRMED)),
        waiting=Count("id", filter=Q(status=RegStatus.WAITLISTED)),
    )
    return Places(
        event.capacity if event.registration_enabled else None, row["confirmed"] or 0, row["waiting"] or 0
    )


def shard_count(capacity: int | None) -> int:
    """Enough shards for the requests in flight; each at least a full party where the capacity allows."""
    return SHARDS if capacity is None else max(1, min(SHARDS, capacity // MAX_PARTY))


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


_T = PlaceShard._meta.db_table
_ROOM = "event_id = %s AND (quota IS NULL OR quota - taken >= %s)"
# The shards are shaped for the capacity read with the event (a capacity changed while the event was
# not published reshapes them at the next count under the lock): Σ quota, or -1 for no limit.
_SHAPED = f"(SELECT coalesce(sum(quota), -1) FROM {_T} WHERE event_id = %s) = %s"
# The first shard with room that no other transaction holds. (None free while some have room: more
# registrations in flight than shards; the caller then counts again under the event row's lock.
# Waiting here for a busy shard instead could deadlock: a scan with FOR UPDATE may keep a row it
# passed over locked while it waits for the next.)
_TAKE = (
    f"UPDATE {_T} SET taken = taken + %s WHERE id = "
    f"(SELECT id FROM {_T} WHERE {_ROOM} AND {_SHAPED} ORDER BY slot LIMIT 1{{lock}}) RETURNING id"
)


def take_place(*, event_id: int, capacity: int | None, party_size: int) -> bool:
    """Add `party_size` to a shard with room that no other transaction holds, and keep that shard
    locked until the transaction ends; False if there is none (or the shards were shaped for another
    capacity).

    Call inside a transaction holding the event row in KEY SHARE mode, with the capacity read then.
    (SQLite has no row locks: its transactions run one at a time, so the first shard will do.)"""
    shape = [event_id, -1 if capacity is None else capacity]
    with connection.cursor() as cursor:
        if LOCK_PLACES:
            lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
            cursor.execute(_TAKE.format(lock=lock), [party_size, event_id, party_size, *shape])
            return cursor.fetchone() is not None
        cursor.execute(
            f"SELECT id, taken FROM {_T} WHERE {_ROOM} AND {_SHAPED} ORDER BY slot LIMIT 1",
            [event_id, party_size, *shape],
        )
        row = cursor.fetchone()
        if row is not None:
            cursor.execute(f"UPDATE {_T} SET taken = %s WHERE id = %s", [row[1] + party_size, row[0]])
        return row is not None


def room_left(*, event_id: int, capacity: int | None) -> int | None:
    """Committed places left over the event's shards (None: no limit, no shards yet, or shards shaped
    for another capacity — only a count under the lock can tell then).

    Exact enough to turn someone away while holding the event row in KEY SHARE mode: nobody can give
    places back then (that needs the row FOR UPDATE), and those in flight only take more."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), coalesce(sum(quota), -1), sum(quota - taken) FROM {_T} WHERE event_id = %s",
            [event_id],
        )
        shards, quota, left = cursor.fetchone()
    return int(left) if capacity is not None and shards and quota == capacity else None


class Ledger:
    """An event's shards while its row is locked FOR UPDATE (nobody is taking a place meanwhile).

    Shapes them to the event's capacity when needed (the first registration, a changed capacity),
    takes and gives back places, and writes what changed with `save()`."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.shards = list(PlaceShard.objects.filter(event_id=event.pk).order_by("slot"))
        # Before the event had shards (registered before they existed), count from the registrations.
        self.taken = sum(s.taken for s in self.shards) if self.shards else recount(event).confirmed
        self._changed: set[int] = set()
        self._reshaped = False
        capacity = event.capacity
        quotas = [s.quota for s in self.shards]
        fits = (
            all(q is None for q in quotas)
            if capacity is None
            else None not in quotas and sum(q or 0 for q in quotas) == capacity
        )
        if len(self.shards) != shard_count(capacity) or not fits:
            self._reshape()

    @property
    def left(self) -> int | None:
        capacity = self.event.capacity
        return None if capacity is None else capacity - self.taken

    def fits(self, party_size: int) -> bool:
        return self.left is None or self.left >= party_size

    def take(self, party_size: int) -> None:
        if not self.fits(party_size):
            raise ValueError("no room for the party (check fits() first)")
        self.taken += party_size
        for i, shard in enumerate(self.shards):
            if shard.quota is None or shard.quota - shard.taken >= party_size:
                shard.taken += party_size
                self._changed.add(i)
                return
        self._spread()  # room left, but split too thin for the party: share everything out again

    def give_back(self, party_size: int) -> None:
        self.taken = max(0, self.taken - party_size)
        rest = party_size
        for i in sorted(range(len(self.shards)), key=lambda i: -self.shards[i].taken):
            n = min(rest, self.shards[i].taken)
            if n:
                self.shards[i].taken -= n
                self._changed.add(i)
                rest -= n
            if not rest:
                break

    def save(self) -> None:
        """Write the shards that changed and the event's counters (confirmed as now, the waiting list)."""
        if self._reshaped:
            PlaceShard.objects.filter(event_id=self.event.pk).delete()
            self.shards = PlaceShard.objects.bulk_create(self.shards)
        elif self._changed:
            PlaceShard.objects.bulk_update(
                [self.shards[i] for i in sorted(self._changed)], ["quota", "taken"]
            )
        self._changed.clear()
        self._reshaped = False
        self.event.confirmed_places = self.taken
        Event.objects.filter(pk=self.event.pk).update(
            confirmed_places=self.taken, waitlisted_count=self.event.waitlisted_count
        )

    def _quotas(self, parts: int) -> list[int | None]:
        capacity = self.event.capacity
        if capacity is None:
            return [None] * parts
        return list(_split(capacity, parts))

    def _reshape(self) -> None:
        capacity = self.event.capacity
        if capacity is not None and self.taken > capacity:
            raise ValidationError(
                {"capacity": (_("已有%(taken)s人报名成功，名额不能少于%(taken)s。") % {"taken": self.taken})}
            )
        parts = shard_count(capacity)
        self.shards = [
            PlaceShard(event_id=self.event.pk, slot=slot, quota=quota, taken=taken)
            for slot, (quota, taken) in enumerate(
                zip(self._quotas(parts), _split(self.taken, parts), strict=True)
            )
        ]
        self._reshaped = True

    def _spread(self) -> None:
        # Both split the same way, so no shard is given more taken than quota (taken ≤ capacity).
        parts = len(self.shards)
        for i, (quota, taken) in enumerate(zip(self._quotas(parts), _split(self.taken, parts), strict=True)):
            self.shards[i].quota, self.shards[i].taken = quota, taken
            self._changed.add(i)
