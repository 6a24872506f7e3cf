"""The nomination deadline as a campaign requirement: compliance per nominating unit, the reminder
tick, the organizer's to-do, and one date for the selection and its requirement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.campaigns.compliance import batch_compliance, unit_compliance
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.campaigns.services import requirement_save
from sciweek.campaigns.todo import overdue_items
from sciweek.orgs.models import Membership, OrgUnit, Role
from sciweek.reminders.models import Occurrence
from sciweek.reminders.sending import tick
from sciweek.selections.models import NominatingUnit, Nomination, Selection
from sciweek.selections.services.requirement import selection_set_deadline
from sciweek.selections.services.setup import selection_create

from .factory import shortlist

pytestmark = pytest.mark.django_db
DEADLINE = timezone.make_aware(dt.datetime(2023, 5, 20, 17, 30))


@pytest.fixture
def selection(demo, organizer):
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.RUNNING)  # reminders: live
    demo.campaign.refresh_from_db()
    towns = list(OrgUnit.objects.filter(name__in=["示例镇一", "示例镇二"]).order_by("path"))
    return selection_create(
        actor=organizer, campaign=demo.campaign, title="2023年泗县最美科技工作者", nominate_until=DEADLINE,
        nominators=towns,
    )  # fmt: skip


def _requirement(selection: Selection) -> Requirement:
    return Requirement.objects.get(nomination_link__selection=selection)


def test_the_selection_makes_its_requirement_for_its_nominating_units(selection):
    req = _requirement(selection)
    assert req.kind == Requirement.Kind.NOMINATION and req.due_at == DEADLINE
    assert {u.name for u in req.applies_to.all()} == {"示例镇一", "示例镇二"}
    assert "2023年泗县最美科技工作者" in req.title


def test_a_unit_without_a_nomination_is_not_compliant_one_with_a_nomination_is(selection):
    town1, town2 = (OrgUnit.objects.get(name=n) for n in ("示例镇一", "示例镇二"))
    (n,) = shortlist(selection, town2, ["李华"])
    Nomination.objects.filter(pk=n.pk).update(status=Nomination.Status.SUBMITTED)
    req = _requirement(selection)
    assert not unit_compliance(req, town1).done and unit_compliance(req, town2).done
    batch = batch_compliance(req, [town1, town2])
    assert batch[town1.pk].done is False and batch[town2.pk].done is True
    # a draft or a nomination returned for changes does not count
    Nomination.objects.filter(pk=n.pk).update(status=Nomination.Status.RETURNED)
    assert not unit_compliance(req, town2).done


def test_a_tick_reminds_the_unit_that_has_not_nominated_only(selection, town1):
    town2 = OrgUnit.objects.get(name="示例镇二")
    other = get_user_model().objects.create_user(username="sx-town2-test", password="x-Pass-12345")
    Membership.objects.create(user=other, unit=town2, role=Role.UNIT_REPORTER)
    (n,) = shortlist(selection, town2, ["李华"])
    Nomination.objects.filter(pk=n.pk).update(status=Nomination.Status.SUBMITTED)
    tick(at=DEADLINE - dt.timedelta(days=1) + dt.timedelta(minutes=1))
    req = _requirement(selection)
    assert Occurrence.objects.filter(requirement=req, user=town1).exists()
    assert not Occurrence.objects.filter(requirement=req, user=other).exists()


def test_after_the_deadline_the_missing_unit_is_late_on_the_to_do(selection, monkeypatch):
    from sciweek.core import clock

    monkeypatch.setattr(clock, "now", lambda: DEADLINE + dt.timedelta(days=1))
    items = [i for i in overdue_items(selection.campaign) if "最美科技工作者" in str(i.title)]
    assert len(items) == 1 and items[0].count == 2 and items[0].tone == "danger"


def test_the_deadline_and_the_requirement_stay_one_date(selection, organizer):
    later = DEADLINE + dt.timedelta(days=3)
    selection = selection_set_deadline(
        actor=organizer, selection=selection, version=selection.version, nominate_until=later
    )
    req = _requirement(selection)
    assert req.due_at == later and Requirement.objects.filter(kind=Requirement.Kind.NOMINATION).count() == 1
    # moved on the campaign's requirements page: the selection follows
    earlier = DEADLINE - dt.timedelta(days=1)
    requirement_save(
        actor=organizer, campaign=req.campaign, requirement=req, version=req.version, kind=req.kind,
        title=req.title, due_at=earlier,
    )  # fmt: skip
    selection.refresh_from_db()
    assert selection.nominate_until == earlier
    assert NominatingUnit.objects.filter(selection=selection).count() == 2
