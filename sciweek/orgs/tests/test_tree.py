"""The unit tree page and its changes: add, edit (with version), move, merge, deactivate; who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sciweek.campaigns.models import MainActivity
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import Membership, OrgUnit, StaffContact
from sciweek.orgs.services import staff_save, unit_create


def test_it_shows_the_subtree_as_a_tree(organizer, client_for, unit):
    response = client_for(organizer).get(reverse("orgs:tree"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "泗县气象局" in html and "县直单位" in html and "341324-qxj" in html
    assert "县自然资源规划局（林业局）" in html and "县林业局" in html  # short name, aliases
    assert html.count("示例</span>") >= 5  # sample towns and societies are badged
    assert "<details open>" in html  # the county is open, its children listed under it
    assert reverse("orgs:unit_add", args=[unit("县气象局").pk]) in html
    assert "安徽省" not in html  # above the organizer's scope
    assert reverse("orgs:unit_move", args=[unit("泗县").pk]) not in html  # their own region stays put


def test_it_counts_staff(organizer, client_for, unit):
    staff_save(actor=organizer, unit=unit("县气象局"), name="刘洋", mobile="13955700005")
    html = client_for(organizer).get(reverse("orgs:tree")).content.decode()
    assert 'text-bg-primary flex-shrink-0" title="联系人数">1 人' in html


def test_it_searches_names_short_names_and_aliases(organizer, client_for):
    client = client_for(organizer)
    html = client.get(reverse("orgs:tree"), {"q": "县林业局"}).content.decode()
    assert "泗县自然资源和规划局" in html and "找到 1 个单位" in html and "上级：泗县" in html
    assert "没有找到匹配的单位" in client.get(reverse("orgs:tree"), {"q": "火星"}).content.decode()


def test_viewers_see_the_tree_but_no_buttons(xcb, province, client_for, unit):
    for user in (xcb, province):
        html = client_for(user).get(reverse("orgs:tree")).content.decode()
        assert "泗县气象局" in html
        assert reverse("orgs:unit_add", args=[unit("县气象局").pk]) not in html
        assert "导入单位名单" not in html


def test_a_co_organizer_cannot_change_the_tree(xcb, client_for, unit):
    client = client_for(xcb)
    qxj_unit = unit("县气象局")
    before = (OrgUnit.objects.count(), qxj_unit.name, qxj_unit.version)
    posts = {
        "orgs:unit_add": {"name": "新单位", "kind": "department"},
        "orgs:unit_edit": {"name": "改名", "kind": "department", "version": qxj_unit.version},
        "orgs:unit_move": {"target": unit("县科协").pk},
        "orgs:unit_merge": {"target": unit("县科协").pk},
        "orgs:unit_active": {"active": "0"},
        "orgs:staff_add": {"name": "某人", "mobile": "13955700001"},
    }
    for name, data in posts.items():
        assert client.get(reverse(name, args=[qxj_unit.pk])).status_code == 403, name
        assert client.post(reverse(name, args=[qxj_unit.pk]), data).status_code == 403, name
    qxj_unit.refresh_from_db()
    assert (OrgUnit.objects.count(), qxj_unit.name, qxj_unit.version) == before


UNIT_URLS = [
    "orgs:unit",
    "orgs:unit_add",
    "orgs:unit_edit",
    "orgs:unit_move",
    "orgs:unit_merge",
    "orgs:unit_active",
    "orgs:staff_add",
    "orgs:user_new",
]
PLAIN_URLS = [
    "orgs:tree",
    "orgs:import",
    "orgs:import_template",
    "orgs:import_preview",
    "orgs:accounts",
    "orgs:accounts_batch",
    "orgs:accounts_sheet_xlsx",
    "orgs:accounts_sheet_pdf",
]


@pytest.mark.parametrize("who", ["qxj", "town1"])
def test_a_unit_user_gets_nothing_under_manage_units(who, request, client_for, unit):
    user = request.getfixturevalue(who)
    client = client_for(user)
    own = Membership.objects.filter(user=user).first().unit
    other = unit("县科协")
    staff = staff_save(actor="test", unit=own, name="本单位联系人", mobile="13955700009")
    for name in PLAIN_URLS:
        assert client.get(reverse(name)).status_code == 403, name
    for target in (own, other):
        for name in UNIT_URLS:
            for method in (client.get, client.post):
                status = method(reverse(name, args=[target.pk])).status_code
                assert status in (403, 404, 405), (name, target.name, status)
    for name in ("orgs:staff_edit", "orgs:staff_delete"):
        assert client.post(reverse(name, args=[own.pk, staff.pk])).status_code == 403
    for name in ("orgs:user_active", "orgs:user_password", "orgs:user_grant"):
        assert (
            client.post(
                reverse(name, args=[own.pk, user.pk]), {"active": "0", "role": "organizer"}
            ).status_code
            == 403
        )
    assert client.get(reverse("orgs:unit", args=[other.pk])).status_code == 404
    assert client.get(reverse("orgs:unit", args=[999999])).status_code == 404
    user.refresh_from_db()
    assert user.is_active and StaffContact.objects.filter(pk=staff.pk).exists()
    assert not Membership.objects.filter(user=user, role="organizer").exists()


def test_it_adds_a_child_unit_and_audits(organizer, client_for, unit):
    group = unit("泗县").get_children().get(name="县直各学会")
    response = client_for(organizer).post(
        reverse("orgs:unit_add", args=[group.pk]),
        {
            "name": "泗县计算机学会",
            "kind": "association",
            "short_name": "县计算机学会",
            "code": "",
            "aliases": "计算机学会\n电脑学会",
        },
    )
    created = OrgUnit.objects.get(name="泗县计算机学会")
    assert response.status_code == 302 and response.url == reverse("orgs:unit", args=[created.pk])
    assert created.get_parent() == group and created.code.startswith("341324-xh-")
    assert sorted(a.name for a in created.aliases.all()) == ["电脑学会", "计算机学会"]
    assert AuditEvent.objects.filter(
        action="unit.create", actor=organizer, object_id=str(created.pk)
    ).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("泗县气象局", "「泗县」下已有同名单位「泗县气象局」"),
        (" 泗县 气象局 ", "「泗县」下已有同名单位「泗县气象局」"),
        ("", "请填写单位名称"),
        ("长" * 101, "单位名称不能超过100个字"),
    ],
)
def test_it_refuses_bad_names(organizer, client_for, unit, name, message):
    count = OrgUnit.objects.count()
    response = client_for(organizer).post(
        reverse("orgs:unit_add", args=[unit("泗县").pk]), {"name": name, "kind": "department"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OrgUnit.objects.count() == count


def test_a_stale_edit_is_refused(organizer, client_for, unit):
    qxj_unit = unit("县气象局")
    client = client_for(organizer)
    data = {
        "name": "泗县气象局",
        "kind": "department",
        "short_name": "县气象局",
        "aliases": "气象局",
        "version": qxj_unit.version,
    }
    assert client.post(reverse("orgs:unit_edit", args=[qxj_unit.pk]), data).status_code == 302
    response = client.post(reverse("orgs:unit_edit", args=[qxj_unit.pk]), data | {"name": "泗县气象台"})
    assert "已被其他人修改，请刷新页面" in response.content.decode()
    qxj_unit.refresh_from_db()
    assert qxj_unit.name == "泗县气象局" and [a.name for a in qxj_unit.aliases.all()] == ["气象局"]
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(qxj_unit.pk)).count() == 1


def test_it_moves_a_unit_with_its_subtree(organizer, client_for, unit):
    societies = unit("泗县").get_children().get(name="县直各学会")
    kx = unit("县科协")
    response = client_for(organizer).post(
        reverse("orgs:unit_move", args=[societies.pk]), {"target": kx.pk, "version": societies.version}
    )
    assert response.status_code == 302
    societies.refresh_from_db()
    assert societies.get_parent() == kx
    assert {c.name for c in societies.get_children()} == {"示例·泗县农学会", "示例·泗县医学会"}
    assert AuditEvent.objects.filter(action="unit.move", after__parent="泗县科学技术协会").exists()


def test_it_refuses_moving_a_unit_under_its_own_descendant(organizer, client_for, unit):
    societies = unit("泗县").get_children().get(name="县直各学会")
    child = societies.get_children().first()
    client = client_for(organizer)
    response = client.post(reverse("orgs:unit_move", args=[societies.pk]), {"target": child.pk})
    assert response.status_code == 200
    assert "所选单位不在可选范围内" in response.content.decode()
    # and the service says why, whatever the form offers
    from django.core.exceptions import ValidationError

    from sciweek.orgs.services import unit_move

    with pytest.raises(ValidationError, match="不能把「县直各学会」移到它自己或它的下级单位"):
        unit_move(actor=organizer, unit=societies, new_parent=child)
    societies.refresh_from_db()
    assert societies.get_parent() == unit("泗县")


def test_it_refuses_a_move_that_would_duplicate_a_name(organizer, client_for, unit):
    kx = unit("县科协")
    twin = unit_create(actor="test", parent=kx, name="泗县气象局", kind="department")
    response = client_for(organizer).post(
        reverse("orgs:unit_move", args=[twin.pk]), {"target": unit("泗县").pk}
    )
    assert "「泗县」下已有同名单位「泗县气象局」" in response.content.decode()
    assert OrgUnit.objects.get(pk=twin.pk).get_parent() == kx


def test_it_refuses_moving_or_merging_outside_the_scope(organizer, client_for, unit):
    city = unit("泗县").get_parent()
    client = client_for(organizer)
    response = client.post(reverse("orgs:unit_move", args=[unit("县气象局").pk]), {"target": city.pk})
    assert "所选单位不在可选范围内" in response.content.decode()
    assert client.get(reverse("orgs:unit_move", args=[unit("泗县").pk])).status_code == 403
    assert client.get(reverse("orgs:unit", args=[city.pk])).status_code == 404


def test_merge_moves_staff_memberships_and_activity_references_and_keeps_an_alias(
    organizer, town1, client_for, unit, demo
):
    sample = OrgUnit.objects.get(name="示例镇一")
    real = unit_create(actor="test", parent=unit("泗县"), name="泗县草沟镇", kind="town")
    staff_save(actor="test", unit=sample, name="张伟", mobile="13955700001")
    led = set(MainActivity.objects.filter(lead_units=sample).values_list("pk", flat=True))
    cooperating = set(MainActivity.objects.filter(cooperating_units=sample).values_list("pk", flat=True))
    assert led and cooperating
    client = client_for(organizer)
    confirm = client.get(reverse("orgs:unit_merge", args=[sample.pk]), {"target": real.pk})
    html = confirm.content.decode()
    assert "「示例镇一」→「泗县草沟镇」" in html
    assert "联系人：1" in html and "成员资格：1" in html and "主要活动（牵头单位）" in html
    response = client.post(reverse("orgs:unit_merge", args=[sample.pk]), {"target": real.pk})
    assert response.status_code == 302 and response.url == reverse("orgs:unit", args=[real.pk])
    assert not OrgUnit.objects.filter(pk=sample.pk).exists()
    assert real.staff.get().name == "张伟"
    assert Membership.objects.get(user=town1).unit == real
    assert set(MainActivity.objects.filter(lead_units=real).values_list("pk", flat=True)) == led
    assert (
        set(MainActivity.objects.filter(cooperating_units=real).values_list("pk", flat=True)) == cooperating
    )
    assert [a.name for a in real.aliases.all()] == ["示例镇一"]
    event = AuditEvent.objects.get(action="unit.merge", actor=organizer)
    assert event.before["source"] == "示例镇一" and event.after["aliases_added"] == ["示例镇一"]
    # the town's reporter now works for the real town
    assert client_for(town1).get(reverse("core:home")).status_code == 302


def test_merge_refuses_what_cannot_coexist(organizer, client_for, unit, demo):
    from sciweek.materials.models import PublicitySubmission

    source, target = unit("县气象局"), unit("县水利局")
    for u in (source, target):
        PublicitySubmission.objects.create(campaign=demo.campaign, unit=u, headline="标题", body="内容")
    client = client_for(organizer)
    html = client.get(reverse("orgs:unit_merge", args=[source.pk]), {"target": target.pk}).content.decode()
    assert "都有宣传内容（共1条重复）" in html and "确认合并" not in html
    response = client.post(reverse("orgs:unit_merge", args=[source.pk]), {"target": target.pk})
    assert response.status_code == 200 and "都有宣传内容" in response.content.decode()
    assert OrgUnit.objects.filter(pk=source.pk).exists()
    assert PublicitySubmission.objects.filter(unit=source).count() == 1


def test_merge_into_own_descendant_is_not_offered(organizer, client_for, unit):
    societies = unit("泗县").get_children().get(name="县直各学会")
    child = societies.get_children().first()
    response = client_for(organizer).post(
        reverse("orgs:unit_merge", args=[societies.pk]), {"target": child.pk}
    )
    assert "所选单位不在可选范围内" in response.content.decode()
    assert OrgUnit.objects.filter(pk=societies.pk).exists()


def test_it_deactivates_and_reactivates_a_unit(organizer, client_for, unit):
    qxj_unit = unit("县气象局")
    client = client_for(organizer)
    response = client.post(
        reverse("orgs:unit_active", args=[qxj_unit.pk]), {"active": "0", "version": qxj_unit.version}
    )
    assert response.status_code == 302
    qxj_unit.refresh_from_db()
    assert not qxj_unit.is_active
    assert "已停用" in client.get(reverse("orgs:tree")).content.decode()
    client.post(reverse("orgs:unit_active", args=[qxj_unit.pk]), {"active": "1", "version": qxj_unit.version})
    qxj_unit.refresh_from_db()
    assert qxj_unit.is_active
    assert list(
        AuditEvent.objects.filter(object_id=str(qxj_unit.pk), action__startswith="unit.")
        .values_list("action", flat=True)
        .order_by("id")
    )[-2:] == ["unit.deactivate", "unit.activate"]


def test_a_unit_with_active_children_is_not_deactivated(organizer, client_for, unit):
    societies = unit("泗县").get_children().get(name="县直各学会")
    response = client_for(organizer).post(reverse("orgs:unit_active", args=[societies.pk]), {"active": "0"})
    assert "下还有启用的下级单位" in response.content.decode()
    societies.refresh_from_db()
    assert societies.is_active


def test_the_organizer_cannot_stop_their_own_region(organizer, client_for, unit):
    client = client_for(organizer)
    county = unit("泗县")
    for name in ("orgs:unit_move", "orgs:unit_merge", "orgs:unit_active"):
        assert client.post(reverse(name, args=[county.pk]), {"active": "0"}).status_code == 403
    assert client.get(reverse("orgs:unit_edit", args=[county.pk])).status_code == 200
