"""A 科技特派员 with a login and no unit role: the 企业创新服务 link and the landing lead to /innovation/, which
must open their work (the service log), the tabs show only what they can open, and the notification of a
confirmed match opens the demand it names (read only; the enterprise's page and the suggestions stay the
town's and the bureau's)."""

from __future__ import annotations

import re

import pytest

from sciweek.core.models import Notification
from sciweek.innovation.models import Demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner(experts):
    from sciweek.accounts.services import user_create

    user = user_create(
        actor="test", username="sx-tpy", password=None, display_name="李植保", must_change_password=False
    )
    type(experts["plant"]).objects.filter(pk=experts["plant"].pk).update(user=user)
    return user


def _tabs(body: str) -> set[str]:
    nav = body[body.index('id="innovation-nav"') :]
    nav = nav[: nav.index("</ul>")]
    return set(re.findall(r'href="(/innovation/[^"]*)"', nav))


def test_it_opens_the_commissioners_work_and_every_tab_they_are_shown(client_for, commissioner):
    c = client_for(commissioner)
    r = c.get("/innovation/")
    assert r.status_code == 302 and r["Location"] == "/innovation/logs/"
    body = c.get("/innovation/logs/").content.decode()
    assert _tabs(body) == {"/innovation/logs/"}


def test_a_town_is_not_shown_the_bureaus_expert_registry(client_for, town1, organizer, experts):
    town_tabs = _tabs(client_for(town1).get("/innovation/").content.decode())
    assert "/innovation/experts/" not in town_tabs and "/innovation/enterprises/" in town_tabs
    for link in town_tabs:
        assert client_for(town1).get(link).status_code == 200, link
    bureau_tabs = _tabs(client_for(organizer).get("/innovation/").content.decode())
    assert "/innovation/experts/" in bureau_tabs
    for link in bureau_tabs:
        assert client_for(organizer).get(link).status_code == 200, link


def test_the_match_notification_opens_the_demand_for_the_matched_commissioner(
    client_for, commissioner, records, experts
):
    c = client_for(commissioner)
    note = Notification.objects.get(user=commissioner, title__startswith="技术需求已匹配")
    r = c.get(f"/notifications/centre/{note.pk}/", follow=True)
    assert r.status_code == 200
    body = r.content.decode()
    assert "小麦赤霉病绿色防控" in body and "需要绿色防控技术" in body
    demand = Demand.objects.get(title="小麦赤霉病绿色防控")
    # Read only, and nothing on the page leads where they cannot go.
    assert 'id="status-form"' not in body and f"/innovation/demands/{demand.pk}/matches/" not in body
    assert f"/innovation/enterprises/{demand.enterprise_id}/" not in body
    assert c.get(f"/innovation/demands/{demand.pk}/matches/").status_code == 404
    assert c.get(f"/innovation/demands/{demand.pk}/edit/").status_code == 404
    # Another demand, not matched to them, stays out of sight.
    other = Demand.objects.exclude(pk=demand.pk).first()
    assert c.get(f"/innovation/demands/{other.pk}/").status_code == 404
