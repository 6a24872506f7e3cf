"""Exactly once, on PostgreSQL with real concurrent transactions: two schedulers tick at the same moment.

Both plan the same reminders, meet at a barrier, then send. With the claim (the occurrence's unique key
inserted before sending) every person gets each reminder once; with it switched off (look, send,
record — the naive way) the same test sees duplicates, which shows it catches the race."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from sciweek.core.models import Notification
from sciweek.reminders import sending
from sciweek.reminders.models import Occurrence

from .conftest import at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
TICKERS = 4


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and real concurrent transactions")


def _race(use_claim: bool, monkeypatch) -> Counter:
    barrier = threading.Barrier(TICKERS)
    monkeypatch.setattr(sending, "after_plan", lambda: barrier.wait(timeout=30))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            sending.tick(at=at("2023-05-29 17:31"), use_claim=use_claim)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(TICKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return Counter(Notification.objects.filter(user__isnull=False).values_list("user_id", "title"))


def test_without_the_claim_two_ticks_send_twice(live, reachable, monkeypatch):
    counts = _race(False, monkeypatch)
    assert counts and max(counts.values()) > 1, "the naive way should have sent duplicates"


def test_with_the_claim_every_reminder_goes_once(live, reachable, monkeypatch):
    counts = _race(True, monkeypatch)
    assert counts and set(counts.values()) == {1}, [k for k, v in counts.items() if v > 1]
    keys = Counter(Occurrence.objects.values_list("requirement_id", "unit_id", "user_id", "channel", "slot"))
    assert set(keys.values()) == {1}
    from django.core import mail

    to = Counter(tuple(m.to) + (m.subject,) for m in mail.outbox)
    assert to and set(to.values()) == {1}
