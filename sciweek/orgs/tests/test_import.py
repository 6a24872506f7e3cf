"""Import of units and staff from the xlsx template: template, upload checks, preview, commit."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sciweek.core.models import AuditEvent
from sciweek.orgs.models import OrgUnit, StaffContact
from sciweek.orgs.services import unit_create

from .xlsx_factory import GOOD_ROWS, filled_import_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data: bytes, name: str = "单位名单.xlsx"):
    return client.post(reverse("orgs:import"), {"file": SimpleUploadedFile(name, data, XLSX)})


def stored_uploads() -> list[str]:
    """Every file waiting in the unit import's folder (one sub-folder per user)."""
    if not default_storage.exists("imports/orgs"):
        return []
    folders, files = default_storage.listdir("imports/orgs")
    return files + [f for d in folders for f in default_storage.listdir(f"imports/orgs/{d}")[1]]


def preview_of(client, rows):
    response = upload(client, filled_import_xlsx(rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("orgs:import_preview"))


def commit(client, preview):
    html = preview.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)
    return client.post(reverse("orgs:import_commit"), {"token": token, "fingerprint": fingerprint})


def test_it_serves_the_template_with_a_type_dropdown_and_instructions(organizer, client_for):
    response = client_for(organizer).get(reverse("orgs:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["单位名单", "填写说明"]
    header = [c.value for c in wb["单位名单"][1]]
    assert header == [
        "上级单位",
        "单位名称",
        "类型",
        "单位代码",
        "简称",
        "别名",
        "联系人姓名",
        "职务",
        "手机号",
        "电子邮箱",
    ]
    validation = wb["单位名单"].data_validations.dataValidation[0]
    assert "镇（街道）" in validation.formula1 and "县直单位" in validation.formula1
    assert "C2" in str(validation.sqref)
    instructions = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "直属于「泗县」" in instructions


def test_it_imports_units_and_staff_all_at_once_and_audits(organizer, client_for, unit):
    client = client_for(organizer)
    units_before = OrgUnit.objects.count()
    preview = preview_of(client, GOOD_ROWS)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "新建单位" in html and "已有单位" in html and "按简称匹配" in html
    assert html.count("添加联系人") >= 5
    assert "import-errors" not in html
    response = commit(client, preview)
    assert response.status_code == 302 and "/manage/units/import/jobs/" in response.url
    outcome = client.get(response.url).content.decode()
    assert "导入完成：新建单位4个，匹配已有单位1个，添加联系人5位，添加别名0个。" in outcome
    assert OrgUnit.objects.count() == units_before + 4
    county = unit("泗县")
    town = OrgUnit.objects.get(name="泗县草沟镇")
    assert town.get_parent() == county and town.kind == "town" and town.short_name == "草沟镇"
    assert sorted(town.staff.values_list("name", "mobile")) == [
        ("张伟", "13955700001"),
        ("李娜", "13955700002"),
    ]
    dzz = OrgUnit.objects.get(code="341324-dzz")
    assert sorted(a.name for a in dzz.aliases.all()) == ["大庄", "大庄镇政府"]
    assert dzz.staff.get().mobile == "13955700003"
    society = OrgUnit.objects.get(name="泗县农业技术学会")
    assert society.get_parent().name == "泗县学会联合体"
    assert unit("县气象局").staff.get().name == "刘洋"
    assert AuditEvent.objects.filter(action="unit.import", actor=organizer).count() == 1
    assert AuditEvent.objects.filter(action="unit.create", actor=organizer).count() == 4
    assert AuditEvent.objects.filter(action="staff.save", actor=organizer).count() == 5
    assert "泗县草沟镇" in client.get(reverse("orgs:tree")).content.decode()
    assert stored_uploads() == []  # the upload is gone once imported


BAD_ROWS = [
    {
        "单位名称": "泗县屏山镇",
        "类型": "镇（街道）",
        "联系人姓名": "甲",
        "手机号": "13955700011",
    },  # row 2: fine
    {"单位名称": "", "类型": "镇（街道）", "联系人姓名": "乙", "手机号": "13955700012"},  # row 3: no name
    {"上级单位": "不存在的单位", "单位名称": "泗县某中心", "类型": "县直单位"},  # row 4: unknown parent
    {"单位名称": "泗县某学校", "类型": "大学城"},  # row 5: unknown type
    {"单位名称": "泗县屏山镇", "类型": "县直单位"},  # row 6: same name, other type: a duplicate under 泗县
    {
        "单位名称": "泗县长沟镇",
        "类型": "镇（街道）",
        "联系人姓名": "丙",
        "手机号": "13800",
    },  # row 7: bad mobile
    {
        "上级单位": "灵璧县",
        "单位名称": "灵璧县某局",
        "类型": "县直单位",
    },  # row 8: outside the organizer's scope
    {"单位名称": "泗县新局", "联系人姓名": "丁", "手机号": "13955700013"},  # row 9: a new unit needs a type
    {
        "单位名称": "泗县墩集镇",
        "类型": "镇",
        "联系人姓名": "戊",
        "手机号": "13955700014",
        "电子邮箱": "not-mail",
    },  # 10
]


def test_the_preview_names_every_problem_and_the_commit_writes_nothing(organizer, client_for, unit):
    unit_create(actor="test", parent=unit("泗县").get_parent(), name="灵璧县", kind="county")
    client = client_for(organizer)
    counts = (OrgUnit.objects.count(), StaffContact.objects.count(), AuditEvent.objects.count())
    preview = preview_of(client, BAD_ROWS)
    html = preview.content.decode()
    assert "发现 8 处问题，本次不会导入任何数据" in html
    for expected in [
        "第3行「单位名称」：不能为空。",
        "第4行「上级单位」：未找到「不存在的单位」",
        "第5行「类型」：「大学城」不是有效的单位类型",
        "第6行「类型」：「泗县」下的「泗县屏山镇」已在第2行出现，类型为「镇（街道）」，与本行不一致",
        "第7行「手机号」：13800 格式不正确，应为11位手机号码",
        "第8行「上级单位」：「灵璧县」不在您的管理范围内",
        "第9行「类型」：新建单位「泗县新局」须选择类型。",
        "第10行「电子邮箱」：not-mail 格式不正确。",
    ]:
        assert expected in html, expected
    assert "确认导入" not in html
    token = client.session["orgs_import"]["token"]  # no commit button: post by hand as a browser could
    response = client.post(reverse("orgs:import_commit"), {"token": token, "fingerprint": "x"})
    assert response.status_code == 400
    assert (OrgUnit.objects.count(), StaffContact.objects.count()) == counts[:2]
    assert not OrgUnit.objects.filter(name="泗县屏山镇").exists()
    assert not AuditEvent.objects.filter(
        action__in=["unit.create", "unit.import", "staff.save"], actor=organizer
    ).exists()


def test_a_commit_with_errors_is_refused_even_when_posted_by_hand(organizer, client_for):
    client = client_for(organizer)
    preview_of(client, BAD_ROWS[:4])
    token = client.session["orgs_import"]["token"]
    response = client.post(reverse("orgs:import_commit"), {"token": token, "fingerprint": "x"})
    assert response.status_code == 400
    assert "导入文件中还有问题，未导入任何数据" in response.content.decode()
    assert not OrgUnit.objects.filter(name="泗县屏山镇").exists()


def test_a_forged_token_commits_nothing(organizer, client_for):
    client = client_for(organizer)
    preview_of(client, GOOD_ROWS)
    response = client.post(
        reverse("orgs:import_commit"), {"token": "forged", "fingerprint": "x"}, follow=True
    )
    assert "这次导入已过期" in response.content.decode()
    assert not OrgUnit.objects.filter(name="泗县草沟镇").exists()


def test_a_tree_changed_after_the_preview_shows_a_new_preview(organizer, client_for, unit):
    client = client_for(organizer)
    preview = preview_of(client, GOOD_ROWS)
    unit_create(actor="someone else", parent=unit("泗县"), name="泗县草沟镇", kind="town")
    response = commit(client, preview)
    assert response.status_code == 409
    assert "预览之后单位树已被修改" in response.content.decode()
    assert not OrgUnit.objects.filter(name="泗县大庄镇").exists()
    response = commit(client, response)  # confirmed again: the town is now an existing unit
    assert response.status_code == 302
    assert OrgUnit.objects.filter(name="泗县草沟镇").count() == 1
    assert OrgUnit.objects.get(name="泗县草沟镇").staff.count() == 2


def test_a_job_whose_tree_changed_since_the_confirmation_writes_nothing(organizer, client_for):
    from sciweek.core.jobs import job_start
    from sciweek.orgs.jobs import IMPORT_JOB

    client = client_for(organizer)
    preview_of(client, GOOD_ROWS)
    name = client.session["orgs_import"]["name"]
    job = job_start(
        kind=IMPORT_JOB, owner=organizer, params={"name": name, "fingerprint": "confirmed-earlier"}
    )
    html = client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()
    assert "导入未完成，未写入任何数据" in html and "确认之后单位树又被修改了" in html
    assert not OrgUnit.objects.filter(name="泗县草沟镇").exists()
    assert not default_storage.exists(name)


def test_someone_elses_import_job_is_not_found(organizer, city, client_for):
    client = client_for(organizer)
    response = commit(client, preview_of(client, GOOD_ROWS))
    assert client_for(city).get(response.url).status_code == 404


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, "not a spreadsheet")
    c.save()
    return out.getvalue()


def _bomb_xlsx() -> bytes:
    """A real workbook with 60 MB of zeros hidden inside: ~60 KB on the wire."""
    good = filled_import_xlsx(GOOD_ROWS)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/media/zeros.bin", bytes(60 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_pdf, "检测到 PDF 内容"),
        (lambda: _zip({"zeros.bin": bytes(80 * 1024 * 1024)}), "不是有效的 Excel 文件"),
        (_bomb_xlsx, "疑似“压缩炸弹”"),
        (lambda: filled_import_xlsx(GOOD_ROWS)[:3000], "文件已损坏或不完整"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "旧版 Office 格式"),
        (lambda: b"", "「单位名单」文件是空的"),
        (lambda: bytes(6 * 1024 * 1024), "文件过大"),
    ],
    ids=["pdf-renamed", "zip-bomb-renamed", "bomb-inside-xlsx", "truncated", "xls", "empty", "too-large"],
)
def test_it_refuses_files_that_are_not_a_safe_workbook(organizer, client_for, make, message):
    client = client_for(organizer)
    response = upload(client, make())
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="text-danger small mt-1" role="alert"' in html
    assert "orgs_import" not in client.session
    assert stored_uploads() == []


def test_a_workbook_without_the_header_is_explained(organizer, client_for):
    wb = openpyxl.Workbook()
    wb.active.append(["名字", "电话"])
    wb.active.append(["泗县某局", "13955700001"])
    buffer = io.BytesIO()
    wb.save(buffer)
    client = client_for(organizer)
    html = upload(client, buffer.getvalue()).content.decode()
    assert "前10行中没有找到「单位名称」列" in html  # on the upload form: nothing to preview
    assert "orgs_import" not in client.session
    assert stored_uploads() == []  # a file that yields no row is not kept


def test_cancel_drops_the_upload(organizer, client_for):
    client = client_for(organizer)
    preview_of(client, GOOD_ROWS)
    name = client.session["orgs_import"]["name"]
    assert default_storage.exists(name)
    client.post(reverse("orgs:import_cancel"))
    assert not default_storage.exists(name)
    assert client.get(reverse("orgs:import_preview")).status_code == 302


@pytest.mark.parametrize("who", ["xcb", "province", "qxj", "town1"])
def test_only_organizers_import(who, request, client_for):
    client = client_for(request.getfixturevalue(who))
    for name in ("orgs:import", "orgs:import_template", "orgs:import_preview"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, filled_import_xlsx(GOOD_ROWS)).status_code == 403
    assert client.post(reverse("orgs:import_commit"), {"token": "x"}).status_code == 403
    assert not OrgUnit.objects.filter(name="泗县草沟镇").exists()
