"""The cached memberships (orgs/access.py) survive writes that don't change who may see what, and go
stale on every write that does: through the services (audited) and straight through the ORM."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from sciweek.accounts.services import membership_grant, membership_revoke
from sciweek.core.audit import audit_event, audit_log_many
from sciweek.core.cache import (
    ACCESS_GENERATION_KEY,
    GENERATION_KEY,
    cached_access_fragment,
    cached_fragment,
    generation,
)
from sciweek.orgs.access import memberships_of
from sciweek.orgs.merge import unit_merge
from sciweek.orgs.models import Membership, OrgUnit, Role, UnitKind
from sciweek.orgs.services import staff_save, unit_create, unit_move, unit_update
from sciweek.reports import services as reports

User = get_user_model()


def fresh(user):
    """The user as the next request loads it (no memberships remembered on the object)."""
    return User.objects.get(pk=user.pk)


def warm(user) -> list[Membership]:
    """Memberships as a request reads them, leaving them in the cache."""
    return memberships_of(fresh(user))


def report_value_save(*, unit_user, unit_obj, campaign) -> None:
    report = reports.report_get_or_create(campaign=campaign, unit=unit_obj, actor=unit_user)
    reports.report_save_values(
        report=report,
        actor=unit_user,
        version=report.version,
        cells={"events_held": reports.CellInput(raw="7")},
    )


def test_it_reads_memberships_from_the_cache_after_a_report_save(demo, qxj, unit, django_assert_num_queries):
    warm(qxj)
    data_before = generation(GENERATION_KEY)
    report_value_save(unit_user=qxj, unit_obj=unit("县气象局"), campaign=demo.campaign)
    assert generation(GENERATION_KEY) != data_before  # the write did bump the data generation
    user = fresh(qxj)
    with django_assert_num_queries(0):
        found = memberships_of(user)
    assert [(m.unit.short_name, m.role) for m in found] == [("县气象局", Role.UNIT_REPORTER)]


def test_it_reads_memberships_from_the_cache_after_unrelated_audited_writes(
    demo, organizer, qxj, xcb, unit, django_assert_num_queries
):
    warm(qxj)
    warm(xcb)
    staff_save(actor=qxj, unit=unit("县气象局"), name="王五", mobile="13800000001")
    audit_log_many(
        [audit_event(actor=organizer, action="campaign.touch", obj=demo.campaign) for _ in range(3)]
    )
    for user in (fresh(qxj), fresh(xcb)):
        with django_assert_num_queries(0):
            assert memberships_of(user)


def test_data_fragments_still_go_stale_on_any_audited_write(demo, qxj, unit):
    built: list[str] = []

    def build() -> str:
        built.append("x")
        return "fragment"

    cached_fragment("test-data", build=build)
    cached_fragment("test-data", build=build)
    assert len(built) == 1
    staff_save(actor=qxj, unit=unit("县气象局"), name="王五", mobile="13800000001")
    cached_fragment("test-data", build=build)
    assert len(built) == 2


def test_it_sees_a_membership_granted_then_revoked_through_the_service(demo, organizer, qxj, unit):
    town = OrgUnit.objects.get(name="示例镇一")
    warm(qxj)
    granted = membership_grant(actor=organizer, user=qxj, unit=town, role=Role.UNIT_REPORTER)
    assert town.pk in {m.unit_id for m in memberships_of(fresh(qxj))}
    membership_revoke(actor=organizer, membership=granted)
    assert town.pk not in {m.unit_id for m in memberships_of(fresh(qxj))}


def test_it_sees_a_unit_moved_through_the_service(demo, organizer, qxj, unit):
    moved = unit("县气象局")
    new_parent = OrgUnit.objects.get(name="县直各学会")
    warm(qxj)
    unit_move(actor=organizer, unit=moved, new_parent=new_parent, version=moved.version)
    (m,) = memberships_of(fresh(qxj))
    assert m.unit.path == OrgUnit.objects.get(pk=moved.pk).path
    assert m.unit.path.startswith(new_parent.path)


def test_it_sees_a_unit_renamed_through_the_service(demo, organizer, qxj, xcb, unit):
    weather, propaganda = unit("县气象局"), unit("县委宣传部")
    assert {m.acting_for_id for m in warm(xcb)} == {propaganda.pk}
    warm(qxj)
    for u in (weather, propaganda):
        unit_update(
            actor=organizer,
            unit=u,
            version=u.version,
            name=f"{u.name}（改）",
            kind=u.kind,
            short_name=u.short_name,
        )
    assert [m.unit.name for m in memberships_of(fresh(qxj))] == [f"{weather.name}（改）"]
    assert [m.acting_for.name for m in memberships_of(fresh(xcb))] == [f"{propaganda.name}（改）"]


def test_it_sees_units_merged_through_the_service(demo, organizer, qxj, unit):
    county = unit("泗县")
    target = unit_create(actor=organizer, parent=county, name="县气象与防灾中心", kind=UnitKind.DEPARTMENT)
    source = unit("县气象局")
    warm(qxj)
    unit_merge(actor=organizer, source=source, target=target)
    (m,) = memberships_of(fresh(qxj))
    assert (m.unit_id, m.unit.name) == (target.pk, "县气象与防灾中心")


def test_it_sees_memberships_written_straight_through_the_orm(demo, qxj, unit):
    town = OrgUnit.objects.get(name="示例镇一")
    warm(qxj)
    created = Membership.objects.create(user=qxj, unit=town, role=Role.UNIT_HEAD)
    assert (town.pk, Role.UNIT_HEAD) in {(m.unit_id, m.role) for m in memberships_of(fresh(qxj))}
    created.delete()
    assert town.pk not in {m.unit_id for m in memberships_of(fresh(qxj))}


def test_it_sees_a_unit_changed_or_deleted_straight_through_the_orm(demo, qxj, unit):
    weather = unit("县气象局")
    warm(qxj)
    weather.name = "县气象台"
    weather.save()
    assert [m.unit.name for m in memberships_of(fresh(qxj))] == ["县气象台"]
    weather.delete()  # its memberships go with it (a cascade: no service, no audit entry)
    assert memberships_of(fresh(qxj)) == []


def test_an_audited_batch_touching_a_unit_bumps_the_access_generation(demo, organizer, unit):
    before = generation(ACCESS_GENERATION_KEY)
    audit_log_many([audit_event(actor=organizer, action="campaign.touch", obj=demo.campaign)])
    assert generation(ACCESS_GENERATION_KEY) == before
    audit_log_many([audit_event(actor=organizer, action="unit.touch", obj=unit("县气象局"))])
    assert generation(ACCESS_GENERATION_KEY) != before


@pytest.mark.django_db
def test_a_lost_generation_number_never_brings_old_fragments_back():
    built: list[int] = []
    cached_access_fragment("test-lost", build=lambda: built.append(1) or "old")
    cache.delete(ACCESS_GENERATION_KEY)  # evicted, or Redis restarted without the number
    assert cached_access_fragment("test-lost", build=lambda: built.append(2) or "new") == "new"
    assert built == [1, 2]
