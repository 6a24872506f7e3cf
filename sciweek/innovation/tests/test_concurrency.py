"""Eight people move one demand at once from the version they all read: one change lands, the rest are
refused as stale (PostgreSQL, a thread and a connection each).

To see the test catch the race, switch the row lock off:
    SCIWEEK_TEST_NO_LOCK=1 DATABASE_URL=postgres://… pytest sciweek/innovation/tests/test_concurrency.py
and several changes land from the same version.
"""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from sciweek.core.errors import StaleVersion
from sciweek.innovation import services
from sciweek.innovation.models import Demand, DemandChange
from sciweek.innovation.services import demands as demand_services

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture(autouse=True)
def _postgres_only(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and real concurrent transactions")
    monkeypatch.setattr(demand_services, "LOCK_ROWS", os.environ.get("SCIWEEK_TEST_NO_LOCK") != "1")


def test_one_status_change_lands_from_a_version_everyone_read(organizer, town1, enterprise):
    demand = services.demand_create(
        actor=town1, enterprise=enterprise, title="赤霉病", field="crops", description="x"
    )
    services.demand_set_status(actor=town1, demand=demand, to="reviewed", version=1)
    read = Demand.objects.get(pk=demand.pk)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait()
            try:
                services.demand_set_status(
                    actor=organizer, demand=read, to="matching", version=read.version, note=f"第{i}人"
                )
                result = "ok"
            except StaleVersion:
                result = "stale"
            except Exception as exc:  # noqa: BLE001 — a wrong step after a win also means refused
                result = type(exc).__name__
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("ok") == 1, outcomes
    assert DemandChange.objects.filter(demand=demand, to_status="matching").count() == 1
    assert Demand.objects.get(pk=demand.pk).version == read.version + 1
