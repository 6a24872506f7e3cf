"""公示 with a real-name objection, 公布, certificates (PDF, CJK embedded, QR to verification), the
推荐项目汇总表 within quota."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sciweek.contests.models import Objection, StageCode
from sciweek.contests.publication import awarded_rows, recommendation
from sciweek.core import clock
from sciweek.core.cache import bump_generation
from sciweek.core.models import AuditEvent
from sciweek.core.workdays import add_workdays

pytestmark = pytest.mark.django_db


def test_working_days_skip_the_weekend():
    assert add_workdays(dt.date(2023, 5, 19), 5) == dt.date(2023, 5, 25)  # Fri + 4 working days
    assert add_workdays(dt.date(2023, 4, 27), 5) == dt.date(
        2023, 5, 6
    )  # across 5月1日, with the worked Saturday


def test_publicity_lists_names_and_takes_a_real_name_objection_that_is_answered(
    contest, client, client_for, organizer
):
    contest.stages.filter(code=StageCode.PUBLICITY).update(starts_on=clock.localdate())
    page = client.get(f"/contest/{contest.pk}/publicity/")
    assert page.status_code == 200
    html = page.content.decode()
    cat, rows = awarded_rows(contest)[0]
    first = rows[0].entry
    assert first.title in html and first.school.name in html
    assert all(s.name in html for s in first.students.all())
    bad = client.post(
        f"/contest/{contest.pk}/publicity/", {"entry": first.pk, "name": "", "phone": "123", "text": "短"}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "请填写真实姓名" in body and "11 位手机号码" in body and "不少于 10 字" in body
    assert not Objection.objects.exists()
    ok = client.post(
        f"/contest/{contest.pk}/publicity/",
        {
            "entry": first.pk,
            "name": "张卫东",
            "phone": "13905571234",
            "text": "该作品与去年外县获奖作品高度相似，请核实。",
        },
    )
    assert ok.status_code == 302
    objection = Objection.objects.get()
    assert objection.name == "张卫东" and objection.entry_id == first.pk
    c = client_for(organizer)
    listing = c.get(f"/contests/{contest.pk}/objections/").content.decode()
    assert "张卫东" in listing and "13905571234" in listing
    c.post(
        f"/contests/{contest.pk}/objections/",
        {"objection": objection.pk, "answer": "经核实，作品为原创，维持原结果。"},
    )
    objection.refresh_from_db()
    assert objection.answered_at and "维持原结果" in objection.answer
    assert AuditEvent.objects.filter(action="contest.objection.answer").exists()
    # After the period: the list stays, objections are no longer taken.
    contest.stages.filter(code=StageCode.PUBLICITY).update(
        starts_on=clock.localdate() - dt.timedelta(days=30)
    )
    closed = client.get(f"/contest/{contest.pk}/publicity/").content.decode()
    assert "不再受理异议" in closed


def test_nothing_is_public_before_its_date(contest, client):
    later = clock.localdate() + dt.timedelta(days=10)
    contest.stages.filter(code__in=[StageCode.PUBLICITY, StageCode.ANNOUNCEMENT]).update(starts_on=later)
    assert client.get(f"/contest/{contest.pk}/publicity/").status_code == 404
    assert client.get(f"/contest/{contest.pk}/results/").status_code == 404


def test_certificates_embed_a_cjk_font_and_a_qr_that_verifies(contest, client, client_for, organizer):
    response = client_for(organizer).get(f"/contests/{contest.pk}/certificates/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    awarded = [r for _c, rows in awarded_rows(contest) for r in rows]
    assert len(reader.pages) == len(awarded)
    text = reader.pages[0].extract_text()
    assert "荣誉证书" in text and awarded[0].award in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object().get("/FontDescriptor") for f in fonts.values()]
    embedded = [d for d in descriptors if d is not None and "/FontFile2" in d.get_object()]
    assert embedded, "the CJK font is embedded"
    code = awarded[0].entry.cert_code
    assert code in text
    verify = client.get(f"/contest/verify/{code}/")
    assert verify.status_code == 200 and awarded[0].award in verify.content.decode()
    assert client.get("/contest/verify/not-a-code/").status_code == 404


def test_recommendation_xlsx_stays_within_quota_with_safe_cells(contest, client_for, organizer):
    first = contest.entries.order_by("id").first()
    first.title = '=HYPERLINK("http://x")'
    first.save()
    response = client_for(organizer).get(f"/contests/{contest.pk}/recommendation.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert "推荐项目汇总表" in values[0][0] and "盖章" in values[1][0]
    chosen = recommendation(contest)
    data = [row for row in values[3:] if isinstance(row[0], int)]
    assert len(data) == sum(len(rows) for _c, rows in chosen)
    for cat, rows in chosen:
        assert len(rows) <= cat.recommend_quota
    assert not any(isinstance(v, str) and v.startswith("=") for row in values for v in row)
    assert any("负责人" in str(v) for row in values for v in row)


def test_the_portal_links_the_contests_publicity_and_results_once_they_open(contest, client):
    later = clock.localdate() + dt.timedelta(days=10)
    contest.stages.filter(code__in=[StageCode.PUBLICITY, StageCode.ANNOUNCEMENT]).update(starts_on=later)
    page = f"/c/{contest.campaign_id}/"
    html = client.get(page).content.decode()
    assert f"/contest/{contest.pk}/publicity/" not in html and "contest-links" not in html
    contest.stages.filter(code=StageCode.PUBLICITY).update(starts_on=clock.localdate())
    bump_generation()  # queryset updates bypass the writes that redraw the cached page
    html = client.get(page).content.decode()
    assert f"/contest/{contest.pk}/publicity/" in html and f"/contest/{contest.pk}/results/" not in html
    # Also under the main activity that is the contest (四.3 青少年科技创新大赛).
    number = contest.campaign.activities.get(title__contains="创新大赛").number
    assert f'data-contest-link="{number}"' in html
    contest.stages.filter(code=StageCode.ANNOUNCEMENT).update(starts_on=clock.localdate())
    bump_generation()
    html = client.get(page).content.decode()
    assert f"/contest/{contest.pk}/results/" in html


def test_before_publication_only_staff_print_certificates_and_their_codes_prove_nothing(
    contest, client, client_for, organizer, school_user
):
    later = clock.localdate() + dt.timedelta(days=10)
    contest.stages.filter(code=StageCode.ANNOUNCEMENT).update(starts_on=later)
    awarded = [r for _c, rows in awarded_rows(contest) for r in rows]
    own = next(r for r in awarded if r.entry.school_id == school_user.school.pk)
    school = client_for(school_user)
    refused = school.get(f"/contests/{contest.pk}/certificates/")
    assert refused.status_code == 404 and "成绩尚未公布" in refused.content.decode()
    api = school.get(f"/api/v1/contests/{contest.pk}/certificates.pdf")
    assert api.status_code == 404 and "成绩尚未公布" in api.json()["detail"]
    assert "school-certificates" not in school.get(f"/contests/{contest.pk}/entries/").content.decode()
    detail = client_for(organizer).get(f"/contests/{contest.pk}/")
    assert "certificates-before-announcement" in detail.content.decode()
    printed = client_for(organizer).get(f"/contests/{contest.pk}/certificates/")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"  # printed ahead
    assert client.get(f"/contest/verify/{own.entry.cert_code}/").status_code == 404
    assert client.get(f"/api/v1/contests/certificates/{own.entry.cert_code}").status_code == 404
    # From 公布 on: the school downloads its own (and only its own), the code verifies.
    contest.stages.filter(code=StageCode.ANNOUNCEMENT).update(starts_on=clock.localdate())
    assert "school-certificates" in school.get(f"/contests/{contest.pk}/entries/").content.decode()
    mine = school.get(f"/contests/{contest.pk}/certificates/")
    assert mine.status_code == 200
    pages = PdfReader(io.BytesIO(mine.content)).pages
    text = "".join(p.extract_text() for p in pages)
    assert own.entry.cert_code in text
    others = [r for r in awarded if r.entry.school_id != own.entry.school_id]
    assert others and all(r.entry.cert_code not in text for r in others)
    assert client.get(f"/contest/verify/{own.entry.cert_code}/").status_code == 200
