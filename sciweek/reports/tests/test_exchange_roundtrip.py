"""Export in the official layout, units fill the files in, the organizer imports them: through the pages."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from sciweek.core.models import AuditEvent
from sciweek.reports.formspec import SIXIAN_2023_FORM
from sciweek.reports.models import Report, ReportRevision, ReportValue

from .stats_data import put_report

SPEC = SIXIAN_2023_FORM
FIRST_ROW = 3  # the unit sheet: title, 单位（盖章）, then one row per indicator, the value in column C


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def fill(xlsx: bytes, values: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb.active
    for i, row in enumerate(SPEC.rows):
        if row.code in values:
            ws.cell(FIRST_ROW + i, 3, values[row.code])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(c, campaign, files: list[tuple[str, bytes]]):
    r = c.post(
        f"/reports/{campaign.pk}/import/",
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
        follow=True,
    )
    assert r.status_code == 200
    m = re.search(r"/import/([A-Za-z0-9_-]+)/$", r.request["PATH_INFO"])
    return r, (m.group(1) if m else None)


def commit(c, campaign, token, **extra):
    preview = c.get(f"/reports/{campaign.pk}/import/{token}/").content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview)[1]
    return c.post(
        f"/reports/{campaign.pk}/import/{token}/",
        {"action": "commit", "fingerprint": fingerprint, **extra},
        follow=True,
    )


def test_it_exports_the_county_workbook_as_a_job(client_for, organizer, demo, unit):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3, "fund_fiscal": "1.5"}, status="approved")
    put_report(demo.campaign, unit("县科协"), {"events_held": 5, "fund_fiscal": "—"}, status="submitted")
    c = client_for(organizer)
    r = c.post(
        f"/reports/{demo.campaign.pk}/exchange/export/", {"kind": "workbook", "scope": "all"}, follow=True
    )
    body = r.content.decode()
    assert "导出统计表汇总（Excel）" in body and "100%" in body and "共 2 个单位" in body
    job_id = re.search(r"/jobs/(\d+)/download/", body)[1]
    download = c.get(f"/jobs/{job_id}/download/")
    assert "统计表汇总（已上报）_" in unquote(download.headers["Content-Disposition"])
    wb = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert wb.sheetnames[:2] == ["汇总", "分单位明细"]
    assert sorted(wb.sheetnames[2:]) == sorted(["泗县科学技术协会", "泗县气象局"])
    assert wb["汇总"]["C3"].value == 8 and wb["汇总"]["C4"].value == Decimal("1.5")
    assert wb["泗县科学技术协会"]["A2"].value == "单位（盖章）：泗县科学技术协会"
    assert wb["泗县科学技术协会"]["C4"].value == "—"


def test_it_round_trips_templates_through_the_import(client_for, organizer, demo, unit):
    c = client_for(organizer)
    r = c.post(
        f"/reports/{demo.campaign.pk}/exchange/export/", {"kind": "templates", "prefilled": "0"}, follow=True
    )
    job_id = re.search(r"/jobs/(\d+)/download/", r.content.decode())[1]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(c.get(f"/jobs/{job_id}/download/").streaming_content)))
    names = archive.namelist()
    assert len(names) == demo.campaign.participating_units().count()
    qxj_name = next(n for n in names if "泗县气象局" in n)
    kx_name = next(n for n in names if "泗县科学技术协会" in n)
    qxj = fill(
        archive.read(qxj_name),
        {"events_held": 6, "fund_fiscal": 2.25, "public_offline": "1,500人次", "universities_opened": "—"},
    )
    kx = fill(archive.read(kx_name), {"events_held": 4, "media_reports": 12})

    r, token = upload(c, demo.campaign, [("气象局.xlsx", qxj), ("科协.xlsx", kx)])
    body = text(r.content.decode())
    assert "导入预览" in body and "2 个文件，识别出 2 张统计表" in body
    assert "单位（盖章）： 泗县气象局" in body and "自动识别" in body
    assert "举办活动次数 （未填） → 6次" in body
    assert "县级(单位)财政经费投入情况 （未填） → 2.25万元" in body
    assert "线下活动群众参与数量 （未填） → 1,500人次" in body
    assert "没有阻止导入的问题" in body
    assert not Report.objects.filter(campaign=demo.campaign).exists()  # a preview writes nothing

    r = commit(c, demo.campaign, token)
    assert "已导入 2 个单位的统计表" in r.content.decode()
    report = Report.objects.get(campaign=demo.campaign, unit=unit("县气象局"))
    assert report.status == Report.Status.SUBMITTED and report.submitted_by == organizer
    values = {v.row_code: (v.value, v.not_applicable) for v in report.values.all()}
    assert values["events_held"] == (Decimal(6), False)
    assert values["fund_fiscal"] == (Decimal("2.25"), False)
    assert values["universities_opened"] == (None, True)
    assert ReportRevision.objects.filter(report=report, action="import").count() == 1
    assert AuditEvent.objects.filter(action="report.value.import", object_id=str(report.pk)).count() == 4

    dash = text(c.get(f"/reports/{demo.campaign.pk}/dashboard/").content.decode())
    assert "2 / " in dash and "10 次" in dash  # 6 + 4, counted as submitted

    # The organizer exports one unit's table to Word and the same figures come back from it.
    docx = b"".join(
        c.get(f"/reports/{demo.campaign.pk}/exchange/units/{unit('县气象局').pk}.docx").streaming_content
    )
    assert "2.25" in "\n".join(
        cell.text for row in Document(io.BytesIO(docx)).tables[0].rows for cell in row.cells
    )
    r, token = upload(c, demo.campaign, [("气象局.docx", docx)])
    assert "数值与系统中一致，无变化" in r.content.decode()


def test_it_reads_a_zip_of_tables(client_for, organizer, demo, unit):
    c = client_for(organizer)
    blank = c.get(f"/reports/{demo.campaign.pk}/exchange/units/{unit('县水利局').pk}.xlsx?template=blank")
    data = fill(b"".join(blank.streaming_content), {"events_held": 7})
    word = io.BytesIO()
    Document_ = Document()
    Document_.add_paragraph("单位（盖章）：县妇联")
    table = Document_.add_table(rows=3, cols=2)
    for i, (label, value) in enumerate(
        [("举办活动次数", "2"), ("线下活动群众参与数量", "150"), ("宣传报道数量", "3")]
    ):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    Document_.save(word)
    pack = io.BytesIO()
    with zipfile.ZipFile(pack, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("水利局.xlsx", data)
        zf.writestr("妇联/统计表.docx", word.getvalue())
        zf.writestr("说明.txt", "请查收")
    r, token = upload(c, demo.campaign, [("各单位统计表.zip", pack.getvalue())])
    body = text(r.content.decode())
    assert "各单位统计表.zip › 水利局.xlsx" in body and "各单位统计表.zip › 妇联/统计表.docx" in body
    r = commit(c, demo.campaign, token)
    assert "已导入 2 个单位的统计表" in r.content.decode()
    fl = Report.objects.get(campaign=demo.campaign, unit=unit("县妇联"))
    assert ReportValue.objects.get(report=fl, row_code="public_offline").value == 150
    assert ReportValue.objects.get(report__unit=unit("县水利局"), row_code="events_held").value == 7


def test_it_keeps_approved_reports_unless_told_to_overwrite(client_for, organizer, demo, unit):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="approved")
    c = client_for(organizer)
    blank = c.get(f"/reports/{demo.campaign.pk}/exchange/units/{unit('县气象局').pk}.xlsx?template=prefilled")
    r, token = upload(
        c, demo.campaign, [("气象局.xlsx", fill(b"".join(blank.streaming_content), {"events_held": 9}))]
    )
    body = text(r.content.decode())
    assert "举办活动次数 3次 → 9次" in body
    assert "已审核通过（已锁定）" in body
    r = commit(c, demo.campaign, token)
    assert "未导入任何数据" in r.content.decode()
    assert ReportValue.objects.get(report__unit=unit("县气象局"), row_code="events_held").value == 3
    r = commit(c, demo.campaign, token, overwrite="1")
    assert "已导入 1 个单位的统计表" in r.content.decode()
    report = Report.objects.get(unit=unit("县气象局"))
    assert report.status == Report.Status.APPROVED
    assert ReportValue.objects.get(report=report, row_code="events_held").value == 9


def test_it_gives_a_unit_its_own_template_and_nothing_else(client_for, qxj, demo, unit):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="draft")
    c = client_for(qxj)
    own = c.get(f"/reports/{demo.campaign.pk}/exchange/units/{unit('县气象局').pk}.xlsx?template=prefilled")
    assert own.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(own.streaming_content))).active
    assert ws["A2"].value == "单位（盖章）：泗县气象局" and ws["C3"].value == 3
    town = demo.campaign.participating_units().get(name="示例镇一")
    assert c.get(f"/reports/{demo.campaign.pk}/exchange/units/{town.pk}.docx").status_code == 404
    assert c.get(f"/reports/{demo.campaign.pk}/exchange/").status_code == 403
    assert c.post(f"/reports/{demo.campaign.pk}/exchange/export/", {"kind": "workbook"}).status_code == 403


def test_it_exports_the_city_matrix_across_the_counties_campaigns(client_for, db):
    from .stats_data import Tree

    tree = Tree()
    put_report(tree.camp_a, tree.a1, {"events_held": 3}, status="approved")
    put_report(tree.camp_b, tree.b1, {"events_held": 10, "fund_fiscal": "2.5"}, status="submitted")
    c = client_for(tree.org_city)
    r = c.post(
        f"/reports/{tree.camp_a.pk}/exchange/export/", {"kind": "matrix", "root": tree.city.pk}, follow=True
    )
    job_id = re.search(r"/jobs/(\d+)/download/", r.content.decode())[1]
    ws = load_workbook(io.BytesIO(b"".join(c.get(f"/jobs/{job_id}/download/").streaming_content)))[
        "分单位明细"
    ]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=3)]
    assert [row[:3] for row in rows] == [
        ["甲县气象局", "T-A1", 3],
        ["乙县科协", "T-B1", 10],
        ["合计（2个单位）", None, 13],
    ]
    assert rows[1][3] == Decimal("2.5")
    # a county organizer cannot export the city
    other = client_for(tree.org_b).post(
        f"/reports/{tree.camp_b.pk}/exchange/export/", {"kind": "matrix", "root": tree.city.pk}
    )
    assert other.status_code == 404
