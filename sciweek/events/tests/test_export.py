"""CSV export of an event's registrations: UTF-8 with BOM for Excel, phones masked as on the page,
no formula injection through a registrant's name, audited, scoped."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest

from sciweek.core.models import AuditEvent
from sciweek.events.checkin import checkin_scan
from sciweek.events.export import safe_cell
from sciweek.events.registration import registration_cancel, registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(published_event, qxj):
    event = published_event(registration_enabled=True, capacity=3, waitlist_limit=2)
    a = registration_create(
        event=event, name='=HYPERLINK("http://x","点我")', phone="13900000001", party_size=2
    )
    registration_create(event=event, name="李四", phone="13900000002")
    registration_create(event=event, name="@SUM(A1)", phone="13900000003")  # waiting list
    cancelled = registration_create(event=event, name="-王五", phone="13900000004")
    registration_cancel(registration=cancelled)
    assert checkin_scan(actor=qxj, event=event, raw=a.code).ok
    return event


def _rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_organizer_gets_full_numbers_and_no_formula_survives(registered, organizer, client_for):
    r = client_for(organizer).get(f"/manage/events/{registered.pk}/registrations.csv")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in r["Content-Disposition"]
    assert "报名名单-走进气象观测站" in unquote(r["Content-Disposition"])
    rows = _rows(r)
    assert rows[0] == ["姓名", "手机号", "人数", "状态", "报名时间", "候补转正时间", "取消时间", "签到时间"]
    by_phone = {row[1]: row for row in rows[1:]}
    assert set(by_phone) == {"13900000001", "13900000002", "13900000003", "13900000004"}
    first = by_phone["13900000001"]
    assert first[0] == '\'=HYPERLINK("http://x","点我")' and first[2] == "2" and first[3] == "报名成功"
    assert first[7]  # checked in
    assert by_phone["13900000003"][0] == "'@SUM(A1)" and by_phone["13900000003"][3] == "候补中"
    assert by_phone["13900000004"][0] == "'-王五" and by_phone["13900000004"][3] == "已取消"
    assert by_phone["13900000004"][6]  # cancelled at
    assert [row[3] for row in rows[1:]] == ["报名成功", "报名成功", "候补中", "已取消"]
    audit = AuditEvent.objects.get(action="registration.export")
    assert audit.actor == organizer and audit.after == {"rows": 4, "phones": "full", "format": "csv"}
    assert audit.unit_path == registered.unit.path


def test_those_without_a_need_get_masked_numbers(registered, qxj, xcb, client_for):
    for user in (qxj, xcb):  # a unit reporter at the door, a co-organizer
        rows = _rows(client_for(user).get(f"/manage/events/{registered.pk}/registrations.csv"))
        phones = [row[1] for row in rows[1:]]
        assert phones and all("****" in p for p in phones) and "139****0001" in phones
    assert AuditEvent.objects.filter(action="registration.export", after__phones="masked").count() == 2


def test_other_units_and_the_public_get_nothing(registered, town1, client_for, client):
    assert client_for(town1).get(f"/manage/events/{registered.pk}/registrations.csv").status_code == 404
    r = client.get(f"/manage/events/{registered.pk}/registrations.csv")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert not AuditEvent.objects.filter(action="registration.export").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+8613900000000", "'+8613900000000"), ("\tx", "'\tx"), ("张三", "张三"), ("", "")],
)
def test_it_defuses_cells_a_spreadsheet_would_run(value, expected):
    assert safe_cell(value) == expected
