"""Where people without a unit role land after login (orgs/landings.py and the domains' providers)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sciweek.contests.tests import conftest as contest_fixtures

contest = contest_fixtures.contest  # the demo contest, as the contests tests build it
pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client.get(reverse("core:home"))


def test_it_sends_a_judge_to_the_judge_page(client, contest):
    judge = get_user_model().objects.get(username="sx-judge1")
    r = _login(client, judge)
    assert r.status_code == 302
    assert r["Location"] == reverse("contests:judge", args=[contest.pk])
    assert client.get(r["Location"]).status_code == 200


def test_it_sends_a_commissioner_to_the_innovation_page(client, demo):
    from sciweek.accounts.services import user_create
    from sciweek.innovation import services
    from sciweek.orgs.models import OrgUnit

    county = OrgUnit.objects.get(name="泗县")
    expert = services.expert_create(
        actor="test", region=county, name="李明远", organization="安徽农业大学", org_kind="university",
        discipline="植物保护", keywords=["小麦"], is_commissioner=True,
        service_towns=[OrgUnit.objects.filter(kind="town").first()],
    )  # fmt: skip
    user = user_create(
        actor="test", username="sx-tpy", password=None, display_name="李明远", must_change_password=False
    )
    type(expert).objects.filter(pk=expert.pk).update(user=user)
    r = _login(client, user)
    assert r.status_code == 302 and r["Location"] == "/innovation/"


def test_a_user_with_nothing_still_sees_the_no_role_page(client, contest):
    from sciweek.accounts.services import user_create

    nobody = user_create(
        actor="test", username="nobody", password=None, display_name="无名", must_change_password=False
    )
    r = _login(client, nobody)
    assert r.status_code == 200
    assert [t.name for t in r.templates][0] == "core/no_role.html"
    assert "尚未分配角色" in r.content.decode()


def test_several_places_are_listed_and_a_failing_provider_is_left_out(client, contest):
    from sciweek.orgs.landings import register_landing, unregister_landing

    judge = get_user_model().objects.get(username="sx-judge1")

    @register_landing("test-extra", order=99)
    def extra(user):
        return ("/somewhere/", "另一处")

    @register_landing("test-broken", order=1)
    def broken(user):
        raise RuntimeError("boom")

    try:
        r = _login(client, judge)
    finally:
        unregister_landing("test-extra")
        unregister_landing("test-broken")
    assert r.status_code == 200
    body = r.content.decode()
    assert reverse("contests:judge", args=[contest.pk]) in body and "/somewhere/" in body


def test_a_school_without_a_reporting_role_lands_on_its_entries(client, contest):
    from sciweek.accounts.services import membership_grant, user_create
    from sciweek.contests.landing import school_entries
    from sciweek.orgs.models import Role

    school = contest.entries.order_by("id").first().school
    user = user_create(
        actor="test", username="school-viewer", password=None, display_name="学校", must_change_password=False
    )
    membership_grant(actor="test", user=user, unit=school, role=Role.UNIT_REPORTER)
    assert (reverse("contests:entries", args=[contest.pk])) in [u for u, _ in school_entries(user)]
