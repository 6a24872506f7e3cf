"""Two colleagues save the unit's publicity at the same moment from the same loaded version: one wins,
the other is told someone changed it (PostgreSQL, real parallel connections). With the version check
switched off the test must fail (xfail strict): it catches the lost update."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sciweek.materials import services
from sciweek.materials.models import PublicitySubmission

WRITERS = 6


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks and parallel connections: PostgreSQL only")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "version_check",
    [
        True,
        pytest.param(
            False, marks=pytest.mark.xfail(strict=True, reason="without the check updates are lost")
        ),
    ],
)
def test_it_loses_no_update_when_two_editors_save_at_once(
    needs_postgres, version_check, monkeypatch, demo, qxj, unit
):
    monkeypatch.setattr(services, "VERSION_CHECK", version_check)
    qx = unit("县气象局")
    sub = services.publicity_save(
        actor=qxj, campaign=demo.campaign, unit=qx, version=None, headline="初稿", body="正文", submit=False
    )
    loaded = sub.version
    barrier = threading.Barrier(WRITERS)
    outcome: list[str] = [""] * WRITERS

    def save(i: int) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            services.publicity_save(
                actor=qxj,
                campaign=demo.campaign,
                unit=qx,
                version=loaded,
                headline=f"编辑{i}",
                body="正文",
                submit=False,
            )
            outcome[i] = "saved"
        except ValidationError as exc:
            outcome[i] = "stale" if exc.code == "stale" else str(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcome.count("saved") == 1, outcome
    assert outcome.count("stale") == WRITERS - 1
    final = PublicitySubmission.objects.get(pk=sub.pk)
    assert final.version == loaded + 1 and final.headline == f"编辑{outcome.index('saved')}"
