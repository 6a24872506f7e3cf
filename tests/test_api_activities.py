"""/api/v1/campaigns/{id}/activities: list, detail, create, update; co-organizers only their own."""

from __future__ import annotations

from sciweek.campaigns.models import MainActivity
from sciweek.core.models import AuditEvent, Notification
from sciweek.orgs.models import OrgUnit


def _activity(campaign, number: int) -> MainActivity:
    return MainActivity.objects.get(campaign=campaign, number=number)


def test_it_lists_the_main_activities_with_their_units(api_for, town1, demo):
    r = api_for(town1).get(f"campaigns/{demo.campaign.pk}/activities")
    assert r.status_code == 200
    rows = r.json()
    assert [a["number"] for a in rows] == [1, 2, 3, 4, 5, 6]
    first = rows[0]
    assert first["title"] == "科技活动周政策宣传活动" and first["schedule_note"] == "另行通知"
    assert {u["name"] for u in first["lead_units"]} == {
        "泗县科学技术局",
        "中共泗县县委宣传部",
        "泗县科学技术协会",
    }
    assert all(a["can_edit"] is False for a in rows)


def test_it_lets_a_co_organizer_edit_only_what_its_unit_leads(api_for, xcb, demo):
    api = api_for(xcb)
    rows = {a["number"]: a for a in api.get(f"campaigns/{demo.campaign.pk}/activities").json()}
    assert rows[6]["can_edit"] is True and rows[2]["can_edit"] is False  # 6 is led by 县委宣传部
    own = _activity(demo.campaign, 6)
    r = api.patch(
        f"campaigns/{demo.campaign.pk}/activities/{own.pk}", {"version": 1, "venue": "县融媒体中心演播厅"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["venue"] == "县融媒体中心演播厅" and r.json()["version"] == 2
    assert r.json()["title"] == "系列宣传活动"  # fields not sent are kept
    led_by_kjj = _activity(demo.campaign, 2)
    r = api.patch(f"campaigns/{demo.campaign.pk}/activities/{led_by_kjj.pk}", {"version": 1, "venue": "别处"})
    assert r.status_code == 403 and r.json()["detail"] == "您只能修改本单位牵头的主要活动"
    r = api.post(
        f"campaigns/{demo.campaign.pk}/activities",
        {"number": 7, "title": "新活动", "lead_unit_ids": [OrgUnit.objects.get(short_name="县委宣传部").pk]},
    )
    assert r.status_code == 403
    assert _activity(demo.campaign, 2).venue == ""


def test_it_forbids_units_from_editing_activities(api_for, town1, demo):
    act = _activity(demo.campaign, 5)  # 示例镇一 leads it, but units do not edit the campaign's activities
    r = api_for(town1).patch(
        f"campaigns/{demo.campaign.pk}/activities/{act.pk}", {"version": 1, "venue": "镇文化站"}
    )
    assert r.status_code == 403


def test_it_creates_an_activity_and_checks_the_units(api_for, organizer, demo, other):
    api = api_for(organizer)
    kjj = OrgUnit.objects.get(short_name="县科技局")
    url = f"campaigns/{demo.campaign.pk}/activities"
    r = api.post(
        url,
        {
            "number": 7,
            "title": "科普大篷车进校园",
            "lead_unit_ids": [kjj.pk],
            "cooperating_unit_ids": [other.town.pk],
        },
    )
    assert r.status_code == 400
    assert r.json()["detail"] == {
        "cooperating_unit_ids": [f"单位编号 {other.town.pk} 不存在或不在「泗县」范围内。"]
    }
    r = api.post(url, {"number": 1, "title": "重复序号", "lead_unit_ids": [kjj.pk]})
    assert r.json()["detail"] == {"number": ["序号 1 已被其他主要活动使用。"]}
    r = api.post(url, {"number": 7, "title": "   ", "lead_unit_ids": []})
    assert r.json()["detail"] == {"title": ["请填写活动名称。"], "lead_units": ["请至少选择一个牵头单位。"]}
    r = api.post(
        url,
        {
            "number": 7,
            "title": "科普大篷车进校园",
            "lead_unit_ids": [kjj.pk],
            "starts_at": "2023-05-22T09:00",
            "venue": "泗县第一中学",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["starts_at"] == "2023-05-22T09:00:00+08:00" and body["is_scheduled"] is True
    assert AuditEvent.objects.filter(
        action="activity.save", object_id=str(body["id"]), actor=organizer
    ).exists()
    assert MainActivity.objects.filter(campaign=demo.campaign).count() == 7


def test_it_notifies_the_units_once_time_and_place_are_set(api_for, organizer, demo):
    act = _activity(demo.campaign, 1)
    r = api_for(organizer).patch(
        f"campaigns/{demo.campaign.pk}/activities/{act.pk}",
        {"version": 1, "starts_at": "2023-05-20T08:30:00+08:00", "venue": "泗州广场"},
    )
    assert r.status_code == 200
    notes = Notification.objects.filter(title="主要活动「科技活动周政策宣传活动」时间地点已确定")
    assert notes.count() == len(act.involved_units()) == 20  # 3 lead + 17 cooperating units
    assert {n.body for n in notes} == {"时间：2023年5月20日 08:30；地点：泗州广场"}


def test_it_refuses_a_stale_activity_version(api_for, organizer, demo):
    act = _activity(demo.campaign, 3)
    api = api_for(organizer)
    url = f"campaigns/{demo.campaign.pk}/activities/{act.pk}"
    assert api.patch(url, {"version": 1, "content": "第一次"}).status_code == 200
    r = api.patch(url, {"version": 1, "content": "第二次"})
    assert r.status_code == 409
    assert "已被其他人修改" in r.json()["detail"]["__all__"][0]


def test_it_hides_activities_of_other_campaigns(api_for, organizer, town1, demo, other):
    # Another county's activity under our campaign's id, and under its own campaign's id.
    assert (
        api_for(organizer).get(f"campaigns/{demo.campaign.pk}/activities/{other.activity.pk}").status_code
        == 404
    )
    assert (
        api_for(town1).get(f"campaigns/{other.campaign.pk}/activities/{other.activity.pk}").status_code == 404
    )
    assert api_for(town1).get(f"campaigns/{other.campaign.pk}/activities").status_code == 404
