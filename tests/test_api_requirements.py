"""/api/v1/campaigns/{id}/requirements: deadlines with the caller's computed compliance."""

from __future__ import annotations

from sciweek.campaigns.models import Requirement
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.services import staff_save


def _by_title(rows: list[dict], title: str) -> dict:
    return next(r for r in rows if r["title"] == title)


def test_it_gives_a_unit_its_own_compliance(api_for, qxj, town1, demo):
    rows = api_for(qxj).get(f"campaigns/{demo.campaign.pk}/requirements").json()
    publicity = _by_title(rows, "报送宣传内容及工作人员姓名、手机号")
    assert publicity["due_at"] == "2023-05-18T23:59:00+08:00"
    assert publicity["compliance"] == [
        {
            "unit_id": OrgUnit.objects.get(short_name="县气象局").pk,
            "unit_name": "泗县气象局",
            "done": False,
            "late": False,
            "detail": "宣传内容尚未报送，联系人未登记",
        }
    ]
    final = _by_title(rows, "报送活动总结、开展情况统计表、影像及媒体报道资料")
    assert final["due_at"] == "2023-05-30T17:30:00+08:00" and final["due_is_close_of_business"] is True
    # The publicity deadline does not apply to 示例镇一: no compliance row for it.
    rows = api_for(town1).get(f"campaigns/{demo.campaign.pk}/requirements").json()
    assert _by_title(rows, "报送宣传内容及工作人员姓名、手机号")["compliance"] == []


def test_it_computes_compliance_from_what_was_recorded(api_for, organizer, town1, demo):
    r = api_for(organizer).post(
        f"campaigns/{demo.campaign.pk}/requirements",
        {"kind": "staff", "title": "确认联系人", "due_at": "2023-05-16T17:30:00"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["compliance"] == []  # the bureau has no unit of its own to comply
    req_id = r.json()["id"]
    town = OrgUnit.objects.get(name="示例镇一")
    row = api_for(town1).get(f"campaigns/{demo.campaign.pk}/requirements/{req_id}").json()
    assert row["compliance"][0]["done"] is False and row["compliance"][0]["detail"] == "尚未登记联系人"
    staff_save(actor=town1, unit=town, name="李干事", mobile="13900001111")
    row = api_for(town1).get(f"campaigns/{demo.campaign.pk}/requirements/{req_id}").json()
    assert row["compliance"][0] == {
        "unit_id": town.pk,
        "unit_name": "示例镇一",
        "done": True,
        "late": False,
        "detail": "已登记1名联系人",
    }


def test_it_refuses_a_deadline_far_from_the_week(api_for, organizer, demo):
    r = api_for(organizer).post(
        f"campaigns/{demo.campaign.pk}/requirements",
        {"kind": "other", "title": "年份写错", "due_at": "2032-05-30T17:30:00+08:00"},
    )
    assert r.status_code == 400
    assert r.json()["detail"] == {
        "due_at": ["截止时间 2032年5月30日 离活动周（2023年5月20日至2023年5月31日）太远，请检查年份和月份。"]
    }
    r = api_for(organizer).post(
        f"campaigns/{demo.campaign.pk}/requirements",
        {
            "kind": "other",
            "title": "x",
            "due_at": "2023-05-30",
            "applies_to": [OrgUnit.objects.get(name="泗县").pk],
        },
    )
    assert (
        r.status_code == 400 and "applies_to" in r.json()["detail"]
    )  # the county is not a participating unit


def test_it_updates_and_deletes_with_audit(api_for, organizer, demo):
    api = api_for(organizer)
    req = Requirement.objects.get(campaign=demo.campaign, kind="min_events")
    url = f"campaigns/{demo.campaign.pk}/requirements/{req.pk}"
    r = api.patch(url, {"version": 1, "target_count": 3})
    assert r.status_code == 200 and r.json()["target_count"] == 3 and r.json()["min_count"] == 1
    r = api.patch(url, {"version": 1, "target_count": 4})
    assert r.status_code == 409
    r = api.patch(url, {"version": 2, "min_count": 5})
    assert r.status_code == 400 and r.json()["detail"] == {"target_count": ["目标次数不能少于最少次数。"]}
    event = AuditEvent.objects.get(action="requirement.save", object_id=str(req.pk), actor=organizer)
    assert event.before["target_count"] == 2 and event.after["target_count"] == 3
    assert api.delete(url).status_code == 204
    assert not Requirement.objects.filter(pk=req.pk).exists()
    assert AuditEvent.objects.filter(action="requirement.delete", object_id=str(req.pk)).exists()
    assert api.delete(url).status_code == 404


def test_it_keeps_requirement_writes_to_organizers(api_for, xcb, town1, demo, other):
    req = Requirement.objects.get(campaign=demo.campaign, kind="min_events")
    for user in (xcb, town1):
        api = api_for(user)
        assert api.delete(f"campaigns/{demo.campaign.pk}/requirements/{req.pk}").status_code == 403
        assert (
            api.patch(
                f"campaigns/{demo.campaign.pk}/requirements/{req.pk}", {"version": 1, "title": "x"}
            ).status_code
            == 403
        )
    lb = api_for(other.organizer)
    assert lb.delete(f"campaigns/{demo.campaign.pk}/requirements/{req.pk}").status_code == 404
    assert lb.get(f"campaigns/{demo.campaign.pk}/requirements").status_code == 404
    # Our campaign id with the other county's requirement id.
    assert (
        api_for(xcb).get(f"campaigns/{demo.campaign.pk}/requirements/{other.requirement.pk}").status_code
        == 404
    )
    assert Requirement.objects.filter(pk=req.pk).exists()
