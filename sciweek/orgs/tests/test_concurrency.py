"""Two organizers adding the same unit at the same moment (PostgreSQL, real threads).

unit_create locks the parent row before checking sibling names; without that lock both requests pass
the check and the county ends up with two units of one name (or a treebeard path collision, a 500).
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from sciweek.orgs.models import OrgUnit
from sciweek.orgs.services import unit_create

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"
    ),
]

ROUNDS, THREADS = 8, 4


def _race(parent_pk: int, name: str) -> list[str]:
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            unit_create(actor="并发测试", parent=OrgUnit.objects.get(pk=parent_pk), name=name, kind="town")
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append("refused" if "已有同名单位" in str(exc) else f"other: {exc}")
        except IntegrityError as exc:  # what the user would see as a server error
            outcomes.append(f"integrity: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_only_one_of_simultaneous_identical_units_is_created(demo, unit):
    county = unit("泗县")
    for n in range(ROUNDS):
        name = f"泗县并发镇{n}"
        outcomes = _race(county.pk, name)
        assert sorted(outcomes) == ["created"] + ["refused"] * (THREADS - 1), outcomes
        assert OrgUnit.objects.filter(name=name).count() == 1
    # the tree is still consistent: every child sits under the county, numchild matches
    county.refresh_from_db()
    assert (
        county.numchild
        == OrgUnit.objects.filter(path__startswith=county.path, depth=county.depth + 1).count()
    )
