"""Role pickers that explain themselves, a confirmation before an organizer role lands on a department,
and the printable 账号通知单 after creating a single account."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sciweek.orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_the_role_picker_explains_each_role(organizer, client_for, unit):
    body = client_for(organizer).get(reverse("orgs:unit", args=[unit("县气象局").pk])).content.decode()
    assert 'id="role-help"' in body
    assert "单位填报员</dt> — <dd" in body and "登记本单位活动、报送宣传内容、填报统计表" in body
    assert 'title="组织单位：管理本地区的活动周、单位与账号，审核活动和统计表"' in body
    assert "data-confirm=" in body  # a department: the forms ask before an organizer role


def test_an_organizer_role_on_a_department_needs_confirmation(organizer, qxj, client_for, unit):
    qxj_unit = unit("县气象局")
    c = client_for(organizer)
    url = reverse("orgs:user_grant", args=[qxj_unit.pk, qxj.pk])
    r = c.post(url, {"role": "organizer"}, follow=True)
    assert "不是地区" in r.content.decode()
    assert not Membership.objects.filter(user=qxj, role="organizer").exists()
    c.post(url, {"role": "organizer", "confirmed": "1"})
    assert Membership.objects.filter(user=qxj, unit=qxj_unit, role="organizer").exists()
    c.post(url, {"role": "unit_head"})  # other roles need no confirmation
    assert Membership.objects.filter(user=qxj, unit=qxj_unit, role="unit_head").exists()
    county = unit("泗县")
    assert "data-confirm=" not in c.get(reverse("orgs:unit", args=[county.pk])).content.decode()


def test_a_single_new_account_offers_the_printable_sheet(organizer, client_for, unit):
    import io

    from pypdf import PdfReader

    c = client_for(organizer)
    qxj_unit = unit("县气象局")
    r = c.post(
        reverse("orgs:user_new", args=[qxj_unit.pk]),
        {"username": "qxj-2", "display_name": "第二位填报员", "role": "unit_reporter"},
        follow=True,
    )
    html = r.content.decode()
    password = re.search(r'id="onetime-password">([^<]+)<', html).group(1)
    assert f'id="onetime-sheet" href="{reverse("orgs:accounts_batch")}"' in html
    assert "qxj-2" in c.get(reverse("orgs:accounts_batch")).content.decode()
    sheet = c.get(reverse("orgs:accounts_sheet_pdf"))
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.content)).pages)
    assert "qxj-2" in text and password in text
