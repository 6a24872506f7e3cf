"""The batch checkers (one or two queries per requirement) judge every unit as the per-unit ones do."""

from __future__ import annotations

import pytest

from sciweek.campaigns.compliance import _BATCH, batch_compliance, unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import StaffContact

pytestmark = pytest.mark.django_db


def test_batch_equals_unit_by_unit(live, qxj, unit):
    from sciweek.materials.services import publicity_save
    from sciweek.reports.services.entry import report_get_or_create

    qxj_unit = unit("县气象局")
    StaffContact.objects.create(unit=qxj_unit, name="张三", mobile="13900000001")
    sub = publicity_save(
        actor=qxj, campaign=live, unit=qxj_unit, version=None, headline="气象", body="科普内容", submit=False
    )
    # Sent (sending itself needs 2–8 photos, which this test is not about).
    type(sub).objects.filter(pk=sub.pk).update(status="submitted", submitted_at=sub.updated_at)
    report_get_or_create(campaign=live, unit=unit("县科协"), actor=qxj)
    units = list(live.participating_units())
    kinds = set()
    for req in live.requirements.all():
        kinds.add(req.kind)
        assert req.kind in _BATCH, f"{req.kind} has no batch checker"
        batch = batch_compliance(req, units)
        assert batch == {u.pk: unit_compliance(req, u) for u in units}, req.kind
    assert {Requirement.Kind.PUBLICITY, Requirement.Kind.MIN_EVENTS, Requirement.Kind.FINAL_REPORT} <= kinds
    assert any(c.done for c in batch_compliance(live.requirements.get(kind="publicity"), units).values())
