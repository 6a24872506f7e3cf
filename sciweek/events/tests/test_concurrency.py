"""Nothing lost, nothing oversold, under real concurrency on PostgreSQL (threads, one connection each).

To see the capacity test catch the race, switch the place locks off (a flag only this test uses: a
place is then taken by reading a shard and writing it back, unlocked):
    SCIWEEK_TEST_NO_LOCK=1 DATABASE_URL=postgres://… pytest sciweek/events/tests/test_concurrency.py
and it fails with more than 100 places confirmed.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from sciweek.events import places as places_module
from sciweek.events.checkin import checkin_sync
from sciweek.events.models import CheckIn, Registration, Scan
from sciweek.events.registration import (
    EventFull,
    places,
    recount,
    registration_cancel,
    registration_create,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS, EACH = 50, 10


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and real concurrent transactions")


@pytest.fixture
def lock_switch(monkeypatch):
    monkeypatch.setattr(places_module, "LOCK_PLACES", os.environ.get("SCIWEEK_TEST_NO_LOCK") != "1")


def _run(n_threads: int, work) -> list:
    barrier = threading.Barrier(n_threads)
    results: list = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait()
            out = work(i)
            with lock:
                results.extend(out)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_it_never_oversells_500_simultaneous_registrations_for_100_places(published_event, lock_switch):
    event = published_event(registration_enabled=True, capacity=100, waitlist_limit=50)

    def register(i: int) -> list[str]:
        out = []
        for j in range(EACH):
            try:
                r = registration_create(event=event, name=f"报名者{i}-{j}", phone=f"139{i:04d}{j:04d}")
                out.append(r.status)
            except EventFull:
                out.append("full")
            except ValidationError as exc:
                out.append("error: " + "；".join(exc.messages))
        return out

    outcomes = Counter(_run(THREADS, register))
    confirmed = Registration.objects.filter(event=event, status="confirmed").aggregate(n=Sum("party_size"))[
        "n"
    ]
    assert sum(outcomes.values()) == THREADS * EACH, outcomes  # every request got an answer
    assert confirmed == 100, f"{confirmed} places confirmed for 100: {outcomes}"
    assert outcomes == {"confirmed": 100, "waitlisted": 50, "full": 350}
    assert Registration.objects.filter(event=event).count() == 150  # none lost, none extra
    event.refresh_from_db()
    assert recount(event) == places(event)  # the counters read under the lock agree with the rows


def test_it_registers_one_mobile_number_once_however_often_it_is_sent_at_once(published_event, lock_switch):
    event = published_event(registration_enabled=True, capacity=100)

    def same_phone(i: int) -> list[str]:
        try:
            return [registration_create(event=event, name=f"重复{i}", phone="13905571234").status]
        except ValidationError as exc:
            return ["refused: " + "".join(exc.messages)]

    outcomes = Counter(_run(20, same_phone))
    assert outcomes["confirmed"] == 1 and sum(outcomes.values()) == 20
    assert all("已报名本活动" in k for k in outcomes if k != "confirmed")
    assert Registration.objects.filter(event=event).count() == 1


def test_it_promotes_the_waiting_list_in_order_while_registrations_keep_coming(published_event, lock_switch):
    """Cancellations free places while others register: the freed places go to the waiting list, in
    its order, and never to someone who came later; the shards keep counting exactly."""
    event = published_event(registration_enabled=True, capacity=40, waitlist_limit=20)
    first = [registration_create(event=event, name=f"先{i}", phone=f"1380000{i:04d}") for i in range(60)]
    confirmed, waiting = first[:40], first[40:]
    assert {r.status for r in confirmed} == {"confirmed"} and {r.status for r in waiting} == {"waitlisted"}

    def work(i: int) -> list[str]:
        if i < 10:  # ten cancellations…
            return [f"promoted {r.pk}" for r in registration_cancel(registration=confirmed[i * 3])]
        out = []  # …among twenty people registering five each
        for j in range(5):
            try:
                out.append(
                    registration_create(event=event, name=f"后{i}-{j}", phone=f"137{i:04d}{j:04d}").status
                )
            except EventFull:
                out.append("full")
        return out

    outcomes = Counter(_run(30, work))
    promoted = sorted(int(k.split()[1]) for k in outcomes if k.startswith("promoted"))
    assert promoted == [r.pk for r in waiting[:10]], outcomes  # the first ten waiting, in order
    assert "confirmed" not in outcomes, outcomes  # nobody who came later took a freed place
    assert outcomes["waitlisted"] + outcomes["full"] == 100 and outcomes["waitlisted"] <= 10, outcomes
    event.refresh_from_db()
    assert recount(event) == places(event)
    assert (places(event).confirmed, places(event).waitlisted) == (40, 10 + outcomes["waitlisted"])


def test_it_counts_an_offline_queue_sent_from_two_phones_twice_once(published_event, organizer):
    event = published_event(registration_enabled=True, capacity=100)
    regs = [registration_create(event=event, name=f"到场{i}", phone=f"1390000{i:04d}") for i in range(40)]
    queue = [{"uuid": str(uuid.uuid4()), "code": r.code, "scanned_at": None} for r in regs]
    # A few tickets scanned twice in the queue (the same person at two doors).
    queue += [{"uuid": str(uuid.uuid4()), "code": r.code, "scanned_at": None} for r in regs[:5]]

    def send(i: int) -> list[str]:
        # Four senders (two phones, each retrying) post the whole queue at the same moment.
        return [
            r.result
            for r in checkin_sync(
                actor=organizer, event=event, scans=list(reversed(queue)) if i % 2 else queue
            )
        ]

    results = _run(4, send)
    assert len(results) == 4 * len(queue)
    assert CheckIn.objects.filter(event=event).count() == 40
    assert Scan.objects.filter(event=event).count() == len(queue)  # each scan stored exactly once
    assert Counter(Scan.objects.filter(event=event).values_list("result", flat=True)) == {
        "ok": 40,
        "duplicate": 5,
    }
