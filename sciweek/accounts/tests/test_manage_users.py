"""The organizer manages the accounts attached to a unit: deactivate, reset, grant / revoke, create."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sciweek.accounts.models import ApiToken
from sciweek.accounts.services import membership_grant, token_create
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import Membership

User = get_user_model()


@pytest.fixture
def qxj_unit(unit):
    return unit("县气象局")


def _login(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, "login failed"
    return client


def test_a_deactivated_user_is_out_on_their_next_request(organizer, qxj, demo, client_for, qxj_unit):
    own_client = _login("sx-qxj", demo.logins["sx-qxj"])
    assert own_client.get(reverse("accounts:profile")).status_code == 200
    _, raw = token_create(actor=qxj, user=qxj, name="同步脚本")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/units/").status_code == 200

    response = client_for(organizer).post(
        reverse("orgs:user_active", args=[qxj_unit.pk, qxj.pk]), {"active": "0"}
    )
    assert response.status_code == 302

    page = own_client.get(reverse("accounts:profile"))
    assert page.status_code == 302 and page.url.startswith(reverse("accounts:login"))
    assert not ApiToken.objects.filter(user=qxj).exists()
    assert api.get("/api/v1/units/").status_code == 401
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "sx-qxj", "password": demo.logins["sx-qxj"]})
        .status_code
        == 200
    )  # the login form again: inactive accounts cannot sign in
    assert AuditEvent.objects.filter(
        action="user.deactivate", object_repr="sx-qxj", unit_path=qxj_unit.path
    ).exists()
    html = client_for(organizer).get(reverse("orgs:unit", args=[qxj_unit.pk])).content.decode()
    assert "已停用" in html and "启用账号" in html

    client_for(organizer).post(reverse("orgs:user_active", args=[qxj_unit.pk, qxj.pk]), {"active": "1"})
    assert _login("sx-qxj", demo.logins["sx-qxj"]).get(reverse("accounts:profile")).status_code == 200


def test_a_password_reset_is_shown_once_and_must_be_changed(organizer, qxj, client_for, qxj_unit):
    client = client_for(organizer)
    response = client.post(reverse("orgs:user_password", args=[qxj_unit.pk, qxj.pk]), follow=True)
    html = response.content.decode()
    password = re.search(r'id="onetime-password">([^<]+)<', html).group(1)
    assert "密码只显示这一次" in html
    assert password not in client.get(reverse("orgs:unit", args=[qxj_unit.pk])).content.decode()
    assert not AuditEvent.objects.filter(after__icontains=password).exists()
    qxj.refresh_from_db()
    assert qxj.check_password(password) and qxj.password != password
    user_client = _login("sx-qxj", password)
    forced = user_client.get(reverse("core:home"))
    assert forced.status_code == 302 and forced.url == reverse("accounts:password_change")


def test_it_grants_and_revokes_roles(organizer, qxj, client_for, qxj_unit):
    client = client_for(organizer)
    client.post(reverse("orgs:user_grant", args=[qxj_unit.pk, qxj.pk]), {"role": "unit_head"})
    membership = Membership.objects.get(user=qxj, unit=qxj_unit, role="unit_head")
    assert "单位负责人" in client.get(reverse("orgs:unit", args=[qxj_unit.pk])).content.decode()
    client.post(reverse("orgs:membership_revoke", args=[qxj_unit.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="membership.", actor=organizer)
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["membership.grant", "membership.revoke"]
    response = client.post(
        reverse("orgs:user_grant", args=[qxj_unit.pk, qxj.pk]), {"role": "emperor"}, follow=True
    )
    assert "请选择有效的角色" in response.content.decode()


def test_it_creates_an_account_for_a_unit(organizer, client_for, qxj_unit):
    client = client_for(organizer)
    response = client.post(
        reverse("orgs:user_new", args=[qxj_unit.pk]),
        {"username": "qxj-head", "display_name": "张局长", "role": "unit_head"},
        follow=True,
    )
    html = response.content.decode()
    password = re.search(r'id="onetime-password">([^<]+)<', html).group(1)
    user = User.objects.get(username="qxj-head")
    assert user.check_password(password) and user.profile.must_change_password
    assert Membership.objects.filter(user=user, unit=qxj_unit, role="unit_head").exists()
    again = client.post(
        reverse("orgs:user_new", args=[qxj_unit.pk]),
        {"username": "QXJ-head", "role": "unit_head"},
        follow=True,
    )
    assert "用户名「QXJ-head」已存在" in again.content.decode()
    bad = client.post(
        reverse("orgs:user_new", args=[qxj_unit.pk]),
        {"username": "气象 局", "role": "unit_head"},
        follow=True,
    )
    assert "只能包含英文字母、数字" in bad.content.decode()
    assert User.objects.filter(username__icontains="qxj-head").count() == 1


def test_a_user_who_also_belongs_elsewhere_is_not_switched_off(organizer, qxj, client_for, qxj_unit, unit):
    membership_grant(actor="test", user=qxj, unit=unit("泗县").get_parent(), role="viewer")  # 宿州市
    client = client_for(organizer)
    assert (
        client.post(reverse("orgs:user_active", args=[qxj_unit.pk, qxj.pk]), {"active": "0"}).status_code
        == 403
    )
    assert client.post(reverse("orgs:user_password", args=[qxj_unit.pk, qxj.pk])).status_code == 403
    qxj.refresh_from_db()
    assert qxj.is_active


def test_the_organizer_cannot_switch_off_or_demote_themselves(organizer, client_for, unit):
    county = unit("泗县")
    client = client_for(organizer)
    assert (
        client.post(reverse("orgs:user_active", args=[county.pk, organizer.pk]), {"active": "0"}).status_code
        == 403
    )
    own = Membership.objects.get(user=organizer, unit=county)
    assert client.post(reverse("orgs:membership_revoke", args=[county.pk, own.pk])).status_code == 403
    organizer.refresh_from_db()
    assert organizer.is_active and Membership.objects.filter(pk=own.pk).exists()


def test_users_of_other_units_are_not_found(organizer, qxj, client_for, unit):
    kx = unit("县科协")
    client = client_for(organizer)
    assert client.post(reverse("orgs:user_active", args=[kx.pk, qxj.pk]), {"active": "0"}).status_code == 404
    qxj.refresh_from_db()
    assert qxj.is_active


def test_a_co_organizer_cannot_manage_accounts(xcb, qxj, client_for, qxj_unit):
    client = client_for(xcb)
    assert (
        client.post(reverse("orgs:user_active", args=[qxj_unit.pk, qxj.pk]), {"active": "0"}).status_code
        == 403
    )
    assert client.post(reverse("orgs:user_password", args=[qxj_unit.pk, qxj.pk])).status_code == 403
    assert (
        client.post(
            reverse("orgs:user_new", args=[qxj_unit.pk]), {"username": "x1", "role": "organizer"}
        ).status_code
        == 403
    )
    qxj.refresh_from_db()
    assert qxj.is_active and not User.objects.filter(username="x1").exists()
