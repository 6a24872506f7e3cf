"""A demo contest for the tests: built by the demo part's own function (fewer entries unless asked)."""

from __future__ import annotations

import pytest


@pytest.fixture
def contest(demo):
    from sciweek.accounts.services import user_create
    from sciweek.contests.demo import build_demo_contest
    from sciweek.orgs.models import OrgUnit

    county = OrgUnit.objects.get(name="泗县")
    lead = OrgUnit.objects.get(short_name="县科协")
    # As the demo part makes it: an account that needs no password change first.
    judge = user_create(
        actor="test", username="sx-judge1", password=None, display_name="陆文华", must_change_password=False
    )
    return build_demo_contest(
        demo.campaign, county=county, lead=lead, entries=36, judge_users={"sx-judge1": judge}
    )


@pytest.fixture
def judge_user(contest):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="sx-judge1")


@pytest.fixture
def school_user(contest):
    """A reporter of the first demo school (the one with the contest's first entry)."""
    from sciweek.accounts.services import membership_grant, user_create
    from sciweek.orgs.models import Role

    school = contest.entries.order_by("id").first().school
    user = user_create(
        actor="test", username="school1", password=None, display_name="学校填报员", must_change_password=False
    )
    membership_grant(actor="test", user=user, unit=school, role=Role.UNIT_REPORTER)
    user.school = school
    return user


@pytest.fixture
def bare_contest(demo):
    """A contest with the default rules and the sample schools, no entries yet."""
    from sciweek.contests.demo import demo_schools
    from sciweek.contests.setup import contest_create
    from sciweek.orgs.models import OrgUnit

    county = OrgUnit.objects.get(name="泗县")
    contest = contest_create(
        campaign=demo.campaign,
        org_unit=OrgUnit.objects.get(short_name="县科协"),
        title="测试大赛",
        actor="test",
    )
    contest.schools = demo_schools(county)
    return contest
