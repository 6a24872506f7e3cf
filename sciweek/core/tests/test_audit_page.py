"""/manage/audit/: the organizer's audit log, filtered by actor, action, object and dates, and limited to
the organizer's subtree (the city sees its counties; one county never sees another's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.campaigns.services import campaign_update
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.services import unit_update
from tests.world import build_other_county


@pytest.fixture
def other(demo):
    return build_other_county()


@pytest.fixture
def writes(demo, organizer, other):
    """One write in 泗县 by its organizer (10 May), one in 灵璧县 by its organizer (12 May)."""
    campaign_update(actor=organizer, campaign=demo.campaign, version=1, theme="泗县的新主题")
    town = OrgUnit.objects.get(name="示例镇二")
    unit_update(actor=organizer, unit=town, version=1, name="泗县大庄镇", kind="town")
    campaign_update(actor=other.organizer, campaign=other.campaign, version=1, theme="灵璧的新主题")
    AuditEvent.objects.update(at=timezone.make_aware(dt.datetime(2023, 5, 1, 9)))
    AuditEvent.objects.filter(action="campaign.update", actor=organizer).update(
        at=timezone.make_aware(dt.datetime(2023, 5, 10, 9, 30))
    )
    AuditEvent.objects.filter(action="campaign.update", actor=other.organizer).update(
        at=timezone.make_aware(dt.datetime(2023, 5, 12, 14))
    )
    AuditEvent.objects.filter(action="unit.update").update(
        at=timezone.make_aware(dt.datetime(2023, 5, 11, 8))
    )


def _rows(client, query: str = "") -> str:
    r = client.get("/manage/audit/" + query)
    assert r.status_code == 200
    return r.content.decode()


def test_it_shows_the_county_organizer_its_own_county_only(client_for, organizer, writes):
    body = _rows(client_for(organizer), "?action=campaign")
    assert "泗县的新主题" in body and "热爱科学 崇尚科学" in body  # before → after
    assert "灵璧" not in body


def test_another_county_does_not_see_ours(client_for, other, writes):
    body = _rows(client_for(other.organizer))
    assert "灵璧的新主题" in body
    assert "泗县的新主题" not in body and "泗县大庄镇" not in body


def test_the_city_sees_every_county_below_it(client_for, city, writes):
    body = _rows(client_for(city), "?action=campaign")
    assert "泗县的新主题" in body and "灵璧的新主题" in body


def test_it_filters_by_actor_action_object_and_dates(client_for, city, writes):
    c = client_for(city)
    body = _rows(c, "?actor=lb-kjj")
    assert "灵璧的新主题" in body and "泗县的新主题" not in body
    body = _rows(c, "?action=unit&object=大庄")
    assert "泗县大庄镇" in body and "示例镇二" in body and "泗县的新主题" not in body
    body = _rows(c, "?action=campaign&date_from=2023-05-11&date_to=2023-05-12")
    assert "灵璧的新主题" in body and "泗县的新主题" not in body
    body = _rows(c, "?action=campaign&date_to=2023-05-10")
    assert "泗县的新主题" in body and "灵璧的新主题" not in body
    assert "2023年5月10日 09:30" in body  # times shown in Beijing time, Chinese style
    assert "没有符合条件的记录" in _rows(c, "?object=不存在的对象")


def test_it_never_fails_on_a_bad_date(client_for, organizer, writes):
    body = _rows(client_for(organizer), "?date_from=2023-02-30&date_to=昨天")
    assert "泗县的新主题" in body  # an impossible date is ignored, not a server error
    assert (
        "起始日期「2023-02-30」不是有效日期，已忽略。" in body
        and "截止日期「昨天」不是有效日期，已忽略。" in body
    )


def test_it_is_for_organizers_and_reviewers_only(client_for, xcb, town1, writes):
    assert client_for(town1).get("/manage/audit/").status_code == 403
    assert client_for(xcb).get("/manage/audit/").status_code == 403


def test_the_action_list_has_every_kind_in_the_log_not_only_the_newest(client_for, organizer, writes):
    from sciweek.core.audit import audit_event, audit_log_many

    # 250 newer report saves bury the older campaign and unit entries.
    audit_log_many(
        [
            audit_event(actor=organizer, action="report.values", object_type="reports.report")
            for _ in range(250)
        ]
    )
    body = _rows(client_for(organizer))
    for kind in ("campaign", "unit", "report"):
        assert f'<option value="{kind}"' in body


def test_a_date_filter_takes_whole_local_days(client_for, organizer, writes):
    # 23:30 Beijing time on 10 May is 15:30 UTC: it belongs to the 10th, not the 11th.
    AuditEvent.objects.filter(action="campaign.update", actor=organizer).update(
        at=timezone.make_aware(dt.datetime(2023, 5, 10, 23, 30))
    )
    c = client_for(organizer)
    assert "泗县的新主题" in _rows(c, "?action=campaign&date_from=2023-05-10&date_to=2023-05-10")
    assert "泗县的新主题" not in _rows(c, "?action=campaign&date_from=2023-05-11")
    assert "泗县的新主题" not in _rows(c, "?action=campaign&date_to=2023-05-09")
