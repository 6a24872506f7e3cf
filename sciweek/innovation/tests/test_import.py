"""Enterprise import from xlsx: preview, matched by credit code, all or nothing, problems by row and column."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.core.jobs import job_start
from sciweek.core.models import Job
from sciweek.innovation.importer import enterprises_import, plan_import
from sciweek.innovation.models import Enterprise

from .conftest import make_code

HEAD = [
    "企业名称*",
    "统一社会信用代码*",
    "所在镇（街道）/园区*",
    "行业大类",
    "企业规模",
    "资质",
    "联系人",
    "联系人手机号",
]


def xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_previews_then_imports_new_and_updates_known_codes(client_for, organizer, town1, enterprise):
    data = xlsx([
        ["泗县新星电子有限公司", make_code(21), "示例镇二", "39", "小型", "高新技术企业、专精特新", "刘工", "13900001111"],
        ["泗县丰收农业科技有限公司（更名）", enterprise.credit_code, "示例镇一", "01", "中型", "", "", ""],
    ])  # fmt: skip
    c = client_for(organizer)
    r = c.post("/innovation/enterprises/import/", {"file": SimpleUploadedFile("名单.xlsx", data)})
    assert r.status_code == 302
    r = c.get("/innovation/enterprises/import/preview/")
    html = r.content.decode()
    assert "新增 <b>1</b>" in html and "更新 <b>1</b>" in html
    assert Enterprise.objects.count() == 1  # nothing written by the preview
    token = c.session["innovation_import"]["token"]
    fingerprint = r.context["fingerprint"]
    r = c.post("/innovation/enterprises/import/commit/", {"token": token, "fingerprint": fingerprint})
    assert r.status_code == 302 and "/import/job/" in r["Location"]  # the commit runs as a job
    job = Job.objects.get(kind="innovation.enterprise_import")
    assert (job.status, job.progress_done, job.progress_total, job.result) == (
        "done",
        4,
        4,
        {"ok": True, "created": 1, "updated": 1},
    )  # two rows checked, then written: the bar's two halves
    html = c.get(r["Location"]).content.decode()
    assert "已导入：新增1家企业，更新1家。" in html and 'data-status="done"' in html
    assert client_for(town1).get(r["Location"]).status_code == 404  # only its owner follows it
    assert Enterprise.objects.count() == 2
    new = Enterprise.objects.get(credit_code=make_code(21))
    assert (
        new.unit.name == "示例镇二"
        and new.section == "C"
        and new.qualifications == ["高新技术企业", "专精特新"]
    )
    assert new.contacts.get().phone == "13900001111"
    enterprise.refresh_from_db()
    assert enterprise.name.endswith("（更名）") and enterprise.version == 2


def test_one_bad_row_and_nothing_is_imported(client_for, organizer):
    bad_code = make_code(31)[:-1] + ("0" if make_code(31)[-1] != "0" else "1")
    data = xlsx([
        ["好企业", make_code(30), "示例镇一", "", "", "", "", ""],
        ["坏企业", bad_code, "示例镇一", "", "", "", "", ""],
        ["重复", make_code(30), "不存在的镇", "", "巨型", "", "", ""],
    ])  # fmt: skip
    c = client_for(organizer)
    c.post("/innovation/enterprises/import/", {"file": SimpleUploadedFile("名单.xlsx", data)})
    r = c.get("/innovation/enterprises/import/preview/")
    errors = r.context["errors"]
    assert any(e.startswith("第3行「统一社会信用代码」") for e in errors), errors
    assert any(e.startswith("第4行「统一社会信用代码」") and "与第2行重复" in e for e in errors)
    assert any(e.startswith("第4行「所在镇（街道）/园区」") for e in errors)
    assert any(e.startswith("第4行「企业规模」") for e in errors)
    r = c.post(
        "/innovation/enterprises/import/commit/",
        {"token": c.session["innovation_import"]["token"], "fingerprint": "x"},
    )
    assert r.status_code == 400
    assert not Enterprise.objects.exists()


def test_a_change_after_the_confirmation_stops_the_job_and_nothing_is_written(
    client_for, organizer, enterprise
):
    from django.core.files.storage import default_storage

    from sciweek.innovation import services

    data = xlsx([
        ["泗县新星电子有限公司", make_code(22), "示例镇二", "", "", "", "", ""],
        ["泗县丰收农业科技有限公司（更名）", enterprise.credit_code, "示例镇一", "", "", "", "", ""],
    ])  # fmt: skip
    name = default_storage.save("imports/innovation/t.xlsx", io.BytesIO(data))
    fingerprint = plan_import(io.BytesIO(data), user=organizer).fingerprint()
    services.enterprise_update(actor=organizer, enterprise=enterprise, version=1, name="别人刚改的名字")
    job = job_start(kind="innovation.enterprise_import", owner=organizer,
                    params={"name": name, "fingerprint": fingerprint})  # fmt: skip
    assert job.status == "done" and job.result["ok"] is False and "有变化" in job.result["errors"][0]
    assert Enterprise.objects.count() == 1 and not default_storage.exists(name)
    html = client_for(organizer).get(f"/innovation/enterprises/import/job/{job.pk}/").content.decode()
    assert "导入未完成，未写入任何数据。" in html


def test_a_town_cannot_import_into_another_town(client_for, town1):
    data = xlsx([["别镇企业", make_code(40), "示例镇二", "", "", "", "", ""]])
    c = client_for(town1)
    c.post("/innovation/enterprises/import/", {"file": SimpleUploadedFile("名单.xlsx", data)})
    r = c.get("/innovation/enterprises/import/preview/")
    assert any("找不到「示例镇二」" in e for e in r.context["errors"])


def test_a_pdf_named_xlsx_is_refused(client_for, organizer):
    r = client_for(organizer).post(
        "/innovation/enterprises/import/", {"file": SimpleUploadedFile("名单.xlsx", b"%PDF-1.4 fake")}
    )
    assert r.status_code == 200
    assert "企业名单" in r.content.decode() and "PDF" in r.content.decode()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), min_size=1, max_size=4)
)
def test_any_text_in_the_cells_gives_messages_never_an_error(organizer, cells):
    data = xlsx([[*cells, "", "", "", "", ""][:8]])
    plan = plan_import(io.BytesIO(data), user=organizer)
    assert plan.rows or plan.file_errors
    if plan.ok:
        enterprises_import(actor=organizer, plan=plan)


def test_the_template_lists_the_callers_towns_and_imports_after_the_example_is_removed(
    client_for, town1, organizer
):
    r = client_for(town1).get("/innovation/enterprises/import/template.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["企业名单", "填写说明"]
    notes = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row)
    assert "示例镇一" in notes and "示例镇二" not in notes
    ws = wb["企业名单"]
    ws.delete_rows(2)
    ws.append(["泗县甲公司", make_code(60), "示例镇一"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    plan = plan_import(out, user=town1)
    assert plan.ok and plan.count("new") == 1
