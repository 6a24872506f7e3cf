"""/api/v1/units: the tree, its changes, and staff with masked phones."""

from __future__ import annotations

from sciweek.core.models import AuditEvent
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.services import staff_save


def named(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


def test_it_lists_the_tree_within_the_callers_scope(api_for, organizer, town1, city, unit, other):
    names = [u["name"] for u in api_for(organizer).get("units/").json()]
    assert names[0] == "泗县" and "泗县气象局" in names and "示例镇一" in names
    assert not any("灵璧" in n for n in names) and "宿州市" not in names
    assert [u["name"] for u in api_for(town1).get("units/").json()] == ["示例镇一"]
    city_names = [u["name"] for u in api_for(city).get("units/").json()]
    assert "灵璧县气象局" in city_names and "泗县气象局" in city_names
    qxj = next(u for u in api_for(organizer).get("units/").json() if u["name"] == "泗县气象局")
    assert (
        qxj["parent_id"] == unit("泗县").pk and qxj["kind_label"] == "县直单位" and qxj["can_manage"] is True
    )


def test_it_hides_units_outside_the_scope(api_for, town1, organizer, unit, other):
    assert api_for(town1).get(f"units/{unit('县气象局').pk}").status_code == 404
    r = api_for(organizer).get(f"units/{other.dept.pk}")
    assert r.status_code == 404 and r.json() == {"detail": "单位不存在"}
    assert api_for(town1).get(f"units/{named('示例镇一').pk}").json()["name"] == "示例镇一"


def test_it_creates_a_child_unit_audited(api_for, organizer, unit):
    api = api_for(organizer)
    api.client.defaults["REMOTE_ADDR"] = "203.0.113.9"
    r = api.post(f"units/{unit('泗县').pk}/children", {"name": "草沟镇", "kind": "town", "aliases": ["草沟"]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "草沟镇" and body["aliases"] == ["草沟"] and body["parent_id"] == unit("泗县").pk
    event = AuditEvent.objects.get(action="unit.create", object_id=str(body["id"]))
    assert event.actor == organizer and event.ip == "203.0.113.9" and event.after["name"] == "草沟镇"
    r = api.post(f"units/{unit('泗县').pk}/children", {"name": " 草沟镇 ", "kind": "town"})
    assert r.status_code == 400
    assert r.json()["detail"] == {"name": ["「泗县」下已有同名单位「草沟镇」。"]}
    r = api.post(f"units/{unit('泗县').pk}/children", {"name": "某地", "kind": "planet"})
    assert r.json()["detail"] == {"kind": ["未知的单位类型「planet」。"]}


def test_it_updates_with_the_version(api_for, organizer, unit):
    api = api_for(organizer)
    town = named("示例镇二")
    r = api.patch(f"units/{town.pk}", {"version": 1, "name": "大庄镇", "short_name": "大庄"})
    assert r.status_code == 200 and r.json()["name"] == "大庄镇" and r.json()["version"] == 2
    assert r.json()["kind"] == "town"
    r = api.patch(f"units/{town.pk}", {"version": 1, "name": "晚到的改名"})
    assert r.status_code == 409
    assert r.json()["detail"]["__all__"] == ["单位「大庄镇」已被其他人修改，请刷新页面查看最新内容后再保存。"]
    event = AuditEvent.objects.get(action="unit.update", object_id=str(town.pk))
    assert event.before["name"] == "示例镇二" and event.after["name"] == "大庄镇"


def test_it_moves_a_unit_only_within_what_the_caller_manages(api_for, organizer, city, unit, other):
    api = api_for(organizer)
    society = named("示例·泗县农学会")
    r = api.post(f"units/{society.pk}/move", {"parent_id": unit("泗县").pk})
    assert r.status_code == 200 and r.json()["parent_id"] == unit("泗县").pk
    # Into its own descendant: refused with the names.
    group = OrgUnit.objects.get(name="县直各学会")
    r = api.post(f"units/{unit('泗县').pk}/move", {"parent_id": group.pk})
    assert r.status_code == 400
    assert r.json()["detail"]["parent"] == ["不能把「泗县」移到它自己或它的下级单位「县直各学会」之下。"]
    # Into another county: the county organizer cannot see it (404); the city organizer can move it.
    assert api.post(f"units/{named('示例镇二').pk}/move", {"parent_id": other.county.pk}).status_code == 404
    r = api_for(city).post(f"units/{named('示例镇二').pk}/move", {"parent_id": other.county.pk})
    assert r.status_code == 200 and r.json()["parent_id"] == other.county.pk


def test_it_forbids_tree_changes_to_non_organizers(api_for, xcb, town1, province, unit):
    for user in (xcb, town1, province):
        api = api_for(user)
        assert api.patch(f"units/{named('示例镇一').pk}", {"version": 1, "name": "改名"}).status_code == 403
        assert (
            api.post(f"units/{named('示例镇一').pk}/children", {"name": "x", "kind": "town"}).status_code
            == 403
        )
    assert named("示例镇一").name == "示例镇一"


def test_it_masks_staff_phones_unless_the_caller_manages_the_unit(
    api_for, organizer, xcb, town1, unit, other
):
    town = named("示例镇一")
    staff_save(actor="测试", unit=town, name="王镇长", mobile="13812345678", position="副镇长")
    full = api_for(organizer).get(f"units/{town.pk}/staff").json()
    assert full == [
        {
            "id": full[0]["id"],
            "name": "王镇长",
            "position": "副镇长",
            "mobile": "13812345678",
            "mobile_masked": False,
            "email": "",
            "is_primary": False,
            "version": 1,
        }
    ]
    for user in (xcb, town1):
        row = api_for(user).get(f"units/{town.pk}/staff").json()[0]
        assert row["mobile"] == "138****5678" and row["mobile_masked"] is True
    assert api_for(town1).get(f"units/{unit('县气象局').pk}/staff").status_code == 404
    assert api_for(organizer).get(f"units/{other.dept.pk}/staff").status_code == 404


def test_it_deactivates_only_what_has_no_active_sub_units_all_or_nothing(api_for, organizer):
    api = api_for(organizer)
    group = named("县直各学会")
    r = api.patch(f"units/{group.pk}", {"version": 1, "name": "县直学会组", "is_active": False})
    assert r.status_code == 400
    assert r.json()["detail"] == {"is_active": ["「县直学会组」下还有启用的下级单位，请先停用或移走它们。"]}
    group.refresh_from_db()
    assert group.name == "县直各学会" and group.is_active and group.version == 1  # the rename was rolled back
    town = named("示例镇二")
    r = api.patch(f"units/{town.pk}", {"version": 1, "is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False
    actions = list(
        AuditEvent.objects.filter(object_id=str(town.pk), object_type="orgs.orgunit")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions[-2:] == ["unit.update", "unit.deactivate"]


def test_it_refuses_a_move_with_a_stale_version(api_for, organizer, unit):
    api = api_for(organizer)
    town = named("示例镇二")
    assert api.patch(f"units/{town.pk}", {"version": 1, "short_name": "镇二"}).status_code == 200
    r = api.post(f"units/{town.pk}/move", {"parent_id": named("县直各学会").pk, "version": 1})
    assert r.status_code == 409 and "已被其他人修改" in r.json()["detail"]["__all__"][0]
