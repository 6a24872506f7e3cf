"""A unit's page: information, contact staff (add / edit / delete with version check), phone masking."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sciweek.core.models import AuditEvent
from sciweek.orgs.models import StaffContact
from sciweek.orgs.services import staff_save


@pytest.fixture
def qxj_unit(unit):
    return unit("县气象局")


@pytest.fixture
def contact(qxj_unit):
    return staff_save(
        actor="test", unit=qxj_unit, name="刘洋", position="办公室主任", mobile="13955700005", is_primary=True
    )


def test_the_organizer_sees_full_numbers_and_accounts(organizer, client_for, qxj_unit, contact):
    html = client_for(organizer).get(reverse("orgs:unit", args=[qxj_unit.pk])).content.decode()
    assert "泗县气象局" in html and "341324-qxj" in html
    assert "刘洋" in html and "办公室主任" in html and "13955700005" in html
    assert "sx-qxj" in html and "单位填报员" in html  # the unit's account and its role
    assert "添加联系人" in html and "重置密码" in html and "停用账号" in html


@pytest.mark.parametrize("who", ["xcb", "province"])
def test_viewers_see_masked_numbers_and_no_buttons(who, request, client_for, qxj_unit, contact):
    html = (
        client_for(request.getfixturevalue(who))
        .get(reverse("orgs:unit", args=[qxj_unit.pk]))
        .content.decode()
    )
    assert "刘洋" in html and "139****0005" in html
    assert "13955700005" not in html
    assert "添加联系人" not in html and "重置密码" not in html and "停用账号" not in html


def test_it_adds_a_contact_and_audits(organizer, client_for, qxj_unit):
    response = client_for(organizer).post(
        reverse("orgs:staff_add", args=[qxj_unit.pk]),
        {"name": "王芳", "position": "科员", "mobile": "139-5570-0006", "email": "wf@example.com"},
    )
    assert response.status_code == 302
    staff = qxj_unit.staff.get()
    assert (staff.name, staff.mobile, staff.email) == ("王芳", "13955700006", "wf@example.com")
    assert AuditEvent.objects.filter(action="staff.save", actor=organizer, object_id=str(staff.pk)).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "王芳", "mobile": "13800"}, "手机号「13800」格式不正确，应为11位手机号码"),
        ({"name": "王芳", "mobile": "12345678901"}, "格式不正确，应为11位手机号码"),
        ({"name": "王芳", "mobile": ""}, "请填写手机号"),
        ({"name": "", "mobile": "13955700006"}, "请填写联系人姓名"),
        ({"name": "王芳", "mobile": "13955700006", "email": "not-mail"}, "电子邮箱「not-mail」格式不正确"),
    ],
)
def test_it_refuses_bad_contacts(organizer, client_for, qxj_unit, data, message):
    response = client_for(organizer).post(reverse("orgs:staff_add", args=[qxj_unit.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not qxj_unit.staff.exists()


def test_a_stale_contact_edit_is_refused(organizer, client_for, qxj_unit, contact):
    client = client_for(organizer)
    url = reverse("orgs:staff_edit", args=[qxj_unit.pk, contact.pk])
    data = {"name": "刘洋", "mobile": "13955700007", "version": contact.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"mobile": "13955700008"})
    assert "已被其他人修改，请刷新页面" in response.content.decode()
    contact.refresh_from_db()
    assert contact.mobile == "13955700007"


def test_it_deletes_a_contact(organizer, client_for, qxj_unit, contact):
    client = client_for(organizer)
    response = client.post(
        reverse("orgs:staff_delete", args=[qxj_unit.pk, contact.pk]), {"version": contact.version}
    )
    assert response.status_code == 302
    assert not StaffContact.objects.filter(pk=contact.pk).exists()
    assert AuditEvent.objects.filter(action="staff.delete", before__name="刘洋").exists()


def test_a_contact_of_another_unit_is_not_found(organizer, client_for, unit, contact):
    kx = unit("县科协")
    client = client_for(organizer)
    assert client.get(reverse("orgs:staff_edit", args=[kx.pk, contact.pk])).status_code == 404
    assert client.post(reverse("orgs:staff_delete", args=[kx.pk, contact.pk])).status_code == 404
    assert StaffContact.objects.filter(pk=contact.pk).exists()


def test_the_city_organizer_manages_the_county_below(city, client_for, qxj_unit, contact):
    html = client_for(city).get(reverse("orgs:unit", args=[qxj_unit.pk])).content.decode()
    assert "13955700005" in html and "添加联系人" in html


def test_a_stale_edit_is_told_in_english_to_an_english_user(organizer, qxj_unit, contact):
    from django.utils import translation

    from sciweek.core.errors import StaleVersion
    from sciweek.orgs.services import staff_save

    with translation.override("en"), pytest.raises(StaleVersion) as refused:
        staff_save(
            actor=organizer,
            unit=qxj_unit,
            staff=contact,
            version=contact.version + 1,
            name="刘洋",
            mobile="13955700007",
        )
    text = refused.value.messages[0]
    assert text.startswith("The contact “") and "has been changed by someone else" in text
