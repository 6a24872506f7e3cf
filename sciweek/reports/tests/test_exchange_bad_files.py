"""Imports that go wrong: a reformatted table, a PDF in disguise, a zip bomb, unknown units, stale reports."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from reportlab.pdfgen import canvas

from sciweek.reports.models import Report, ReportValue

from .stats_data import put_report
from .test_exchange_roundtrip import commit, fill, text, upload


def reformatted_table(unit_line: str, events: object = 5) -> bytes:
    """What a unit makes of the template: its own title, numbered rows, a 单位 column, values in D."""
    wb = Workbook()
    ws = wb.active
    ws.title = "我单位报表"
    ws["A1"] = "科技活动周情况统计"
    ws["A2"] = unit_line
    ws.append([])
    ws.append(["序号", "项目", "单位", "数量"])
    ws.append([1, "举办科普活动次数", "次", events])
    ws.append([2, "县级财政经费投入", "万元", 1.2])
    ws.append([3, "企业赞助经费", "万元", "无"])
    ws.append([4, "线下活动群众参与人次", "人次", "2,300"])
    ws.append([5, "线上活动群众参与数量", "人次", 15000])
    ws.append([6, "其它人员数量", "人", 4])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "statistics")
    pdf.save()
    return out.getvalue()


def test_it_reads_a_reformatted_table(client_for, organizer, demo, unit):
    c = client_for(organizer)
    r, token = upload(
        c, demo.campaign, [("统计表.xlsx", reformatted_table("填报单位（盖章）：泗县气象局  填报人：张三"))]
    )
    body = text(r.content.decode())
    assert "单位（盖章）： 泗县气象局" in body
    assert "举办活动次数 （未填） → 5次" in body
    assert "企业赞助经费情况 （未填） → 不适用" in body
    assert "线下活动群众参与数量 （未填） → 2,300人次" in body
    assert "表中没有找到以下项目" in body  # warnings name what is missing, and do not block
    assert "没有阻止导入的问题" in body
    r = commit(c, demo.campaign, token)
    assert "已导入 1 个单位的统计表" in r.content.decode()
    report = Report.objects.get(unit=unit("县气象局"))
    assert ReportValue.objects.get(report=report, row_code="public_online").value == 15000


def test_it_names_the_cell_of_a_bad_value_and_refuses_to_commit(client_for, organizer, demo):
    c = client_for(organizer)
    r, token = upload(
        c, demo.campaign, [("统计表.xlsx", reformatted_table("单位（盖章）：县气象局", events="约5次"))]
    )
    body = text(r.content.decode())
    assert "统计表.xlsx › 我单位报表!D5：「举办活动次数」请填写确切数字，收到「约5次」" in body
    r = commit(c, demo.campaign, token)
    assert "未导入任何数据" in r.content.decode()
    assert not Report.objects.exists()


def test_it_says_a_pdf_renamed_xlsx_is_a_pdf_and_lets_it_be_removed(client_for, organizer, demo, unit):
    c = client_for(organizer)
    good = reformatted_table("单位（盖章）：县气象局")
    r, token = upload(c, demo.campaign, [("统计表.xlsx", pdf_bytes()), ("气象局.xlsx", good)])
    body = text(r.content.decode())
    assert "「统计表.xlsx」不是有效的" in body and "检测到 PDF 内容" in body
    assert "有 1 个问题需要先处理" in body
    assert "未导入任何数据" in commit(c, demo.campaign, token).content.decode()
    assert not Report.objects.exists()
    r = c.post(f"/reports/{demo.campaign.pk}/import/{token}/", {"remove": "0"}, follow=True)
    body = text(r.content.decode())
    assert "PDF" not in body and "没有阻止导入的问题" in body
    assert "已导入 1 个单位的统计表" in commit(c, demo.campaign, token).content.decode()


def test_it_refuses_a_zip_bomb(client_for, organizer, demo):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("统计表.xlsx", "w") as member:
        for _ in range(40):
            member.write(b"\0" * (1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    c = client_for(organizer)
    r, token = upload(c, demo.campaign, [("各单位.zip", bomb.getvalue())])
    body = text(r.content.decode())
    assert "「各单位.zip」" in body and "压缩" in body and ("炸弹" in body or "压缩比" in body)
    assert "未导入任何数据" in commit(c, demo.campaign, token).content.decode()


def test_it_lets_the_organizer_choose_the_unit_of_an_unknown_name(client_for, organizer, demo, unit):
    c = client_for(organizer)
    r, token = upload(c, demo.campaign, [("表.xlsx", reformatted_table("单位（盖章）：泗县某某服务中心"))])
    body = text(r.content.decode())
    assert "未能确定是哪个单位的统计表（单位（盖章）：泗县某某服务中心），请在下拉框中选择单位" in body
    assert "— 请选择单位 —" in r.content.decode()
    assert "未导入任何数据" in commit(c, demo.campaign, token).content.decode()
    chosen = unit("县应急管理局")
    r = commit(c, demo.campaign, token, unit_0=str(chosen.pk))
    assert "已导入 1 个单位的统计表" in r.content.decode()
    assert Report.objects.get(unit=chosen).status == Report.Status.SUBMITTED


def test_it_refuses_two_tables_for_one_unit(client_for, organizer, demo):
    c = client_for(organizer)
    table = reformatted_table("单位（盖章）：县气象局")
    r, token = upload(c, demo.campaign, [("一.xlsx", table), ("二.xlsx", table)])
    assert "「泗县气象局」同时对应 一.xlsx › 我单位报表 和 二.xlsx › 我单位报表" in text(r.content.decode())


def test_it_refuses_when_the_report_changed_after_the_preview(client_for, organizer, demo, unit):
    put_report(demo.campaign, unit("县气象局"), {"events_held": 3}, status="returned")
    c = client_for(organizer)
    r, token = upload(c, demo.campaign, [("表.xlsx", reformatted_table("单位（盖章）：县气象局", events=8))])
    preview = c.get(f"/reports/{demo.campaign.pk}/import/{token}/").content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview)[1]
    Report.objects.filter(unit=unit("县气象局")).update(version=5)  # the unit saved again meanwhile
    r = c.post(
        f"/reports/{demo.campaign.pk}/import/{token}/",
        {"action": "commit", "fingerprint": fingerprint},
        follow=True,
    )
    assert "预览之后，有单位的统计表又被修改或审核过" in r.content.decode()
    assert ReportValue.objects.get(report__unit=unit("县气象局"), row_code="events_held").value == 3


def test_it_keeps_the_uploads_to_their_owner(client_for, organizer, city, demo):
    r, token = upload(
        client_for(organizer), demo.campaign, [("表.xlsx", reformatted_table("单位（盖章）：县气象局"))]
    )
    assert token
    other = client_for(city)  # may see the campaign, but this upload is not theirs
    assert other.get(f"/reports/{demo.campaign.pk}/import/{token}/").status_code in (403, 404)
    assert (
        client_for(organizer)
        .get(f"/reports/{demo.campaign.pk}/import/not-a-real-token-at-all-xx/")
        .status_code
        == 404
    )
    assert (
        client_for(organizer).get(f"/reports/{demo.campaign.pk}/import/..%2F..%2Fsecret/").status_code == 404
    )


def test_it_refuses_the_import_to_viewers_and_units(client_for, province, qxj, demo):
    data = {"files": [SimpleUploadedFile("表.xlsx", reformatted_table("单位（盖章）：县气象局"))]}
    assert client_for(province).post(f"/reports/{demo.campaign.pk}/import/", data).status_code == 403
    data = {"files": [SimpleUploadedFile("表.xlsx", reformatted_table("单位（盖章）：县气象局"))]}
    assert client_for(qxj).post(f"/reports/{demo.campaign.pk}/import/", data).status_code == 403


def test_it_refuses_an_upload_over_the_total_limit(client_for, organizer, demo, settings):
    settings.SCIWEEK_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("大.zip", b"PK\x03\x04" + b"\0" * (1024 * 1024 + 10))
    r = client_for(organizer).post(f"/reports/{demo.campaign.pk}/import/", {"files": [big]}, follow=True)
    assert "超过上限 1 MB，请分批上传" in r.content.decode()


def test_it_imports_nothing_when_one_of_several_files_is_bad(client_for, organizer, demo, unit):
    c = client_for(organizer)
    blank = c.get(f"/reports/{demo.campaign.pk}/exchange/units/{unit('县水利局').pk}.xlsx?template=blank")
    good = fill(b"".join(blank.streaming_content), {"events_held": 7})
    bad = reformatted_table("单位（盖章）：县气象局", events="-3")
    r, token = upload(c, demo.campaign, [("水利局.xlsx", good), ("气象局.xlsx", bad)])
    assert "不能为负数" in text(r.content.decode())
    assert "未导入任何数据" in commit(c, demo.campaign, token).content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "payload,message", [(b"", "空"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版")]
)
def test_it_explains_empty_and_old_format_files(client_for, organizer, demo, payload, message):
    r, _token = upload(client_for(organizer), demo.campaign, [("表.xlsx", payload)])
    assert message in text(r.content.decode())
