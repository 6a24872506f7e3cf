"""Bulk accounts for units and their login sheet (xlsx / PDF); passwords are shown once, stored nowhere."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sciweek.accounts import loginsheet
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import Membership, OrgUnit

User = get_user_model()


def _batch(client, **data):
    response = client.post(reverse("orgs:accounts"), {"role": "unit_reporter", **data})
    assert response.status_code == 302 and response.url == reverse("orgs:accounts_batch"), response
    html = client.get(reverse("orgs:accounts_batch")).content.decode()
    rows = re.findall(
        r'<td class="font-monospace">([^<]+)</td><td class="font-monospace fw-semibold">([^<]+)</td>', html
    )
    return html, dict(rows)


def test_the_page_lists_units_and_their_accounts(organizer, client_for):
    html = client_for(organizer).get(reverse("orgs:accounts")).content.decode()
    assert "泗县气象局" in html and "sx-qxj" in html  # a unit with its account
    assert "341324-kx" in html  # a unit without one: its future username
    assert "为所有尚无账号的单位创建" in html and "初始密码只显示一次" in html
    assert ">宿州市</label>" not in html and ">泗县</label>" not in html and ">县直各学会</label>" not in html


def test_it_creates_accounts_for_every_unit_without_one_and_hands_out_the_sheet(organizer, client_for, demo):
    client = client_for(organizer)
    without = [
        u
        for u in OrgUnit.objects.filter(path__startswith=OrgUnit.objects.get(name="泗县").path).exclude(
            kind__in=["county", "group"]
        )
        if not u.memberships.filter(role__in=["unit_reporter"]).exists()
    ]
    html, logins = _batch(client, mode="missing")
    assert "初始密码只显示这一次" in html
    assert set(logins) == {u.code.lower() for u in without}
    user = User.objects.get(username="341324-kx")
    assert user.check_password(logins["341324-kx"]) and user.profile.must_change_password
    assert Membership.objects.filter(user=user, unit__name="泗县科学技术协会", role="unit_reporter").exists()

    sheet = client.get(reverse("orgs:accounts_sheet_xlsx"))
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "no-store"
    ws = openpyxl.load_workbook(io.BytesIO(sheet.content))["账号清单"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0] == ["单位", "用户名", "初始密码", "登录地址", "说明"]
    rows = {r[1]: r for r in values[1:]}
    assert rows["341324-kx"][0] == "泗县科学技术协会"
    assert rows["341324-kx"][2] == logins["341324-kx"]
    assert rows["341324-kx"][3] == "http://testserver/accounts/login/"
    assert "首次登录须修改密码" in rows["341324-kx"][4]

    pdf = client.get(reverse("orgs:accounts_sheet_pdf"))
    assert pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "泗县科学技术协会" in text and "泗县经济开发区" in text and "初始密码" in text
    assert "341324-kx" in text and logins["341324-kx"] in text

    # Both sheets handed out: the passwords are gone from the session, and were never in the database.
    assert client.get(reverse("orgs:accounts_batch")).status_code == 302
    assert client.get(reverse("orgs:accounts_sheet_pdf")).status_code == 302
    for session in Session.objects.all():
        assert logins["341324-kx"] not in str(session.get_decoded())
    assert not AuditEvent.objects.filter(after__icontains=logins["341324-kx"]).exists()
    assert AuditEvent.objects.filter(
        action="user.create",
        actor=organizer,
        object_repr="341324-kx",
        unit_path__startswith=OrgUnit.objects.get(name="泗县").path,
    ).exists()

    # The new account must change its password at the first login.
    new_client = Client()
    new_client.post(reverse("accounts:login"), {"username": "341324-kx", "password": logins["341324-kx"]})
    forced = new_client.get(reverse("core:home"))
    assert forced.status_code == 302 and forced.url == reverse("accounts:password_change")

    # Nothing left without an account: a second run creates none.
    again = client.post(reverse("orgs:accounts"), {"role": "unit_reporter", "mode": "missing"}, follow=True)
    assert "没有选择任何单位" in again.content.decode()


def test_selected_units_and_a_clear_button(organizer, client_for, unit):
    client = client_for(organizer)
    _, logins = _batch(client, units=[unit("县科协").pk, unit("县水利局").pk])
    assert set(logins) == {"341324-kx", "341324-slj"}
    client.post(reverse("orgs:accounts_batch_clear"))
    assert client.get(reverse("orgs:accounts_sheet_xlsx")).status_code == 302
    again = client.post(
        reverse("orgs:accounts"), {"role": "unit_reporter", "units": [unit("县科协").pk]}, follow=True
    )
    assert "以下单位已有同名账号" in again.content.decode()


def test_out_of_scope_or_bogus_units_are_refused(organizer, client_for, unit):
    client = client_for(organizer)
    city = unit("泗县").get_parent()
    assert client.post(reverse("orgs:accounts"), {"units": [city.pk]}).status_code == 404
    assert client.post(reverse("orgs:accounts"), {"units": ["abc"]}).status_code == 404
    response = client.post(
        reverse("orgs:accounts"), {"units": [unit("县科协").pk], "role": "organizer"}, follow=True
    )
    assert "请选择单位填报员或单位负责人" in response.content.decode()
    assert not User.objects.filter(username="341324-kx").exists()


@pytest.mark.parametrize("who", ["xcb", "province", "qxj"])
def test_only_organizers_create_accounts(who, request, client_for, unit):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("orgs:accounts")).status_code == 403
    assert client.post(reverse("orgs:accounts"), {"mode": "missing"}).status_code == 403
    assert not User.objects.filter(username="341324-kx").exists()


def test_the_pdf_works_without_any_system_font(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no fc-match: the built-in CID font takes over
    loginsheet.cjk_font_name.cache_clear()
    try:
        assert loginsheet.cjk_font_name() == "STSong-Light"
        import datetime as dt

        data = loginsheet.login_sheet_pdf(
            [loginsheet.SheetEntry("示例镇一", "341324-town1", "Ab3xYz9kPq2M")],
            login_url="https://sciweek.example/accounts/login/",
            title="账号清单",
            issued_at=dt.datetime(2023, 5, 15, 9, 30),
        )
    finally:
        loginsheet.cjk_font_name.cache_clear()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "示例镇一" in text and "Ab3xYz9kPq2M" in text and "2023年5月15日 09:30" in text
