"""Bad input anywhere on the report pages: a Chinese message naming the field, nothing half-saved, never a 500."""

from __future__ import annotations

import pytest

from sciweek.reports.models import Report, ReportDeadlineException, ReportValue

from .report_files import complete, deadline_in, open_mine, report_of, save_cell, submit

pytestmark = pytest.mark.django_db

JUNK = [
    "",
    " ",
    "abc",
    "-1",
    "1e99",
    "9" * 400,
    "\x00",
    "１２３",
    "NaN",
    "Infinity",
    "<script>alert(1)</script>",
    "DROP TABLE reports_report;",
    "１.５万",
    "—",
    "null",
    "0x1F",
    "1/2",
    "三十",
]


@pytest.fixture
def mine(demo, qxj, unit, client_for):
    c = client_for(qxj)
    open_mine(c, demo.campaign)
    return c, report_of(demo.campaign, unit("县气象局"))


@pytest.mark.parametrize("typed", JUNK)
def test_it_never_fails_on_whatever_is_typed_into_a_cell(mine, typed):
    c, report = mine
    for code in ("events_held", "fund_fiscal"):
        r = save_cell(c, report, code, typed)
        assert r.status_code == 200
        body = r.content.decode()
        assert (
            'data-kind="saved"' in body or 'data-kind="error"' in body or typed.strip() in ("", "—", "null")
        )
        assert "<script>alert(1)</script>" not in body


def test_it_refuses_notes_that_cannot_be_stored(mine):
    c, report = mine
    save_cell(c, report, "public_offline", "10000000")
    body = save_cell(c, report, "public_offline", "10000000", note="说明" * 300).content.decode()
    assert "「线下活动群众参与数量」的「上报说明」过长（600字），最多500字（未保存）" in body
    body = save_cell(c, report, "public_offline", "10000000", note="含\x00控制字符").content.decode()
    assert "包含无法保存的控制字符" in body
    assert ReportValue.objects.get(report=report, row_code="public_offline").override_note == ""


def test_it_answers_a_missing_or_odd_version_with_a_message(mine):
    c, report = mine
    for version in ("", "abc", "-1", "99999999999999999999"):
        r = c.post(f"/reports/{report.pk}/cell/events_held/", {"v_events_held": "3", "version": version})
        assert r.status_code == 200
        assert "统计表" in r.content.decode() and 'data-kind="saved"' not in r.content.decode()
    assert (
        c.post(f"/reports/{report.pk}/cell/no_such_row/", {"v_no_such_row": "3", "version": 1}).status_code
        == 404
    )
    assert c.post(f"/reports/{report.pk}/submit/", {"version": "x"}).status_code == 200
    assert c.post(f"/reports/{report.pk}/upload/nonsense/").status_code == 404
    assert not report.values.exists()


def test_it_refuses_odd_review_input(mine, client_for, organizer, demo):
    c, report = mine
    deadline_in(demo.campaign, days=1)
    complete(c, report)
    submit(c, report)
    report.refresh_from_db()
    org = client_for(organizer)
    for reason in ("\x00", "x" * 1200):
        r = org.post(
            f"/reports/{report.pk}/act/return/", {"version": report.version, "reason": reason}, follow=True
        )
        assert r.status_code == 200
        assert "退回原因" in r.content.decode()
    assert org.post(f"/reports/{report.pk}/act/explode/", {"version": report.version}).status_code == 404
    assert org.get(f"/reports/{report.pk}/compare/?a=abc&b=zz").status_code == 404
    for until in ("", "tomorrow", "2023-13-45T99:99"):
        r = org.post(
            f"/reports/{demo.campaign.pk}/review/exceptions/",
            {"unit": report.unit_id, "until": until, "reason": "x"},
            follow=True,
        )
        assert "请填写补报截止时间" in r.content.decode()
    assert org.post(f"/reports/{demo.campaign.pk}/review/exceptions/", {"unit": "abc"}).status_code == 404
    assert org.get(f"/reports/{demo.campaign.pk}/review/?status=<b>").status_code == 200
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and not ReportDeadlineException.objects.exists()
