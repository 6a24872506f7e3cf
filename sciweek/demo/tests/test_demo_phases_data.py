"""The full demo (every part) gives each phase something to see."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.campaigns.compliance import unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.events.demo import EVENTS
from sciweek.events.models import Event
from sciweek.orgs.models import OrgUnit
from sciweek.reports.demo import PLAN, RETURN_REASON
from sciweek.reports.models import Report
from sciweek.reports.tests.report_files import complete, open_mine, report_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(settings):
    settings.DEMO_MODE = True
    phases.start_if_unset()  # as `sciweek load_demo` does: the clock first, then the data
    loaded = load_demo(full=True)
    yield loaded
    clock.forget()


def test_each_phase_has_something_to_see(full_demo, client):
    campaign = full_demo.campaign
    assert clock.localdate().isoformat() == "2023-05-19"
    publicity = campaign.requirements.get(kind=Requirement.Kind.PUBLICITY)
    states = {u.short_name: unit_compliance(publicity, u) for u in publicity.applies_to.all()}
    assert states["县科协"].done and not states["县科协"].late
    assert states["县卫健委"].late  # sent on 5月19日, a day late
    assert not states["县农业农村局"].done  # a draft
    # Events: places left, a full one with a waiting list, an online one; registration open on 5月19日.
    robots = Event.objects.get(title="青少年编程机器人体验课")
    confirmed = robots.registrations.filter(status="confirmed")
    assert (
        sum(r.party_size for r in confirmed) <= 20
        and robots.registrations.filter(status="waitlisted").exists()
    )
    lecture = Event.objects.get(title__startswith="科普大讲堂")
    assert lecture.registration_open() and Event.objects.filter(mode="online").exists()
    body = client.get(f"/events/{lecture.pk}/").content.decode()
    assert "报名已截止" not in body
    # No unit has started its statistics table on 5月19日 (the summary part's approved sample tables
    # included), and no event has an outcome yet.
    assert _report_states(campaign) == dict.fromkeys(PLAN)
    assert not Report.objects.filter(campaign=campaign).exists()
    assert not Event.objects.filter(campaign=campaign, outcome_recorded_at__isnull=False).exists()


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _report_states(campaign) -> dict[str, tuple[str, bool] | None]:
    """The demo units' reports as (status, late), None where a unit has none."""
    found = {
        (r.unit.short_name or r.unit.name): (r.status, r.is_late)
        for r in Report.objects.filter(campaign=campaign).select_related("unit")
    }
    return {name: found.get(name) for name in PLAN}


def _outcomes(campaign) -> set[str]:
    return set(
        Event.objects.filter(campaign=campaign, outcome_recorded_at__isnull=False).values_list(
            "title", flat=True
        )
    )


AT_REPORT = {
    "县科协": ("approved", False),
    "县农业农村局": ("submitted", False),
    "县卫健委": ("returned", False),
    "示例镇二": ("submitted", False),
    "县教体局": ("draft", False),
}
AFTER = {name: ("approved", name == "县教体局") for name in PLAN}


def test_the_data_moves_with_the_phase_forward_and_back(full_demo, client_for):
    campaign = full_demo.campaign
    organizer = _user("sx-kjj")
    assert _report_states(campaign) == dict.fromkeys(PLAN) and not _outcomes(campaign)

    phases.jump("report", actor=organizer)
    assert _report_states(campaign) == AT_REPORT
    kx = Report.objects.get(campaign=campaign, unit__short_name="县科协")
    assert timezone.localtime(kx.submitted_at).date().isoformat() == "2023-05-27"
    assert [r.action for r in kx.revisions.order_by("number")] == ["submit", "approve"]
    returned = Report.objects.get(campaign=campaign, unit__short_name="县卫健委")
    assert returned.return_reason == RETURN_REASON
    # Events that ended before 5月30日 have their outcome, recorded when they ended.
    ended = set(
        Event.objects.filter(campaign=campaign, ends_at__lte=phases.phase("report").at).values_list(
            "title", flat=True
        )
    )
    assert _outcomes(campaign) and _outcomes(campaign) <= ended
    missing = Report.objects.filter(campaign=campaign).count()
    assert missing < campaign.participating_units().count()  # and most units have not reported at all
    # The summary part's sample towns and 县科技局 have sent theirs, approved, by 总结上报.
    approved = {
        r.unit.short_name or r.unit.name
        for r in Report.objects.filter(campaign=campaign, status="approved").select_related("unit")
    }
    assert {"示例镇一", "县科技局"} <= approved
    # The unit's page at 总结上报 shows the history on the demo dates.
    page = client_for(organizer).get(f"/reports/{returned.pk}/").content.decode()
    assert "2023年5月29日" in page

    # Again: nothing changes (a jump to the phase one is in is idempotent).
    revisions = set(Report.objects.filter(campaign=campaign).values_list("revisions__pk", flat=True))
    phases.jump("report", actor=organizer)
    assert set(Report.objects.filter(campaign=campaign).values_list("revisions__pk", flat=True)) == revisions

    phases.jump("prepare", actor=organizer)
    assert _report_states(campaign) == dict.fromkeys(PLAN) and not _outcomes(campaign)
    assert not Report.objects.filter(campaign=campaign).exists()

    phases.jump("after", actor=organizer)
    assert _report_states(campaign) == AFTER
    late = Report.objects.get(campaign=campaign, unit__short_name="县教体局")
    assert timezone.localtime(late.first_submitted_at).isoformat().startswith("2023-05-31T09:00")
    with_outcome = [t for t, d in ((d.title, d) for d in EVENTS) if d.outcome]
    assert _outcomes(campaign) == set(with_outcome)


def test_a_visitors_own_report_is_left_alone(full_demo, client_for):
    campaign = full_demo.campaign
    organizer, qxj = _user("sx-kjj"), _user("sx-qxj")
    phases.jump("report", actor=organizer)
    c = client_for(qxj)
    open_mine(c, campaign)
    mine = report_of(campaign, OrgUnit.objects.get(short_name="县气象局"))
    complete(c, mine)
    submit(c, mine)
    phases.jump("prepare", actor=organizer)
    mine.refresh_from_db()
    assert mine.status == Report.Status.SUBMITTED
