"""The organizer's unit pages in headless Chromium on a phone: tree, import preview, accounts."""

from __future__ import annotations

import pytest
from django.test import Client

from sciweek.orgs.models import OrgUnit, StaffContact

from .xlsx_factory import GOOD_ROWS, write_import_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page, errors: list[str]) -> None:
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def _fits_the_phone(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the phone"


def test_the_tree_on_a_phone(page, live_server, organizer, shot):
    errors: list[str] = []
    _watch(page, errors)
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/manage/units/")
    assert page.get_by_role("link", name="泗县气象局").is_visible()
    _fits_the_phone(page)
    shot(page, "orgs-tree-phone")
    # collapse the county, open it again, then use a unit's action menu
    county = page.locator("summary", has_text="泗县").first
    county.click()
    assert not page.get_by_role("link", name="泗县气象局").is_visible()
    county.click()
    page.get_by_role("button", name="操作：泗县气象局").click()
    page.get_by_role("link", name="编辑（改名、别名）").click()
    page.fill("#id_aliases", "气象局\n县气象台")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/manage/units/*/")
    assert page.get_by_text("别名：气象局、县气象台").is_visible()
    _fits_the_phone(page)
    shot(page, "orgs-unit-detail-phone")
    page.goto(f"{live_server.url}/manage/units/?q=县气象台")
    assert page.get_by_text("找到 1 个单位").is_visible()
    shot(page, "orgs-tree-search-phone")
    assert not errors, errors


def test_import_with_errors_then_fixed_on_a_phone(page, live_server, organizer, shot, tmp_path):
    errors: list[str] = []
    _watch(page, errors)
    _login(page, live_server, organizer)
    bad = [
        *GOOD_ROWS,
        {"单位名称": "泗县长沟镇", "类型": "镇（街道）", "联系人姓名": "丙", "手机号": "13800"},
        {"上级单位": "火星办事处", "单位名称": "泗县某中心", "类型": "县直单位"},
    ]
    page.goto(f"{live_server.url}/manage/units/import/")
    page.set_input_files("#id_file", str(write_import_xlsx(tmp_path / "单位名单.xlsx", bad)))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url("**/import/preview/")
    assert page.get_by_text("发现 2 处问题，本次不会导入任何数据").is_visible()
    assert (
        page.locator("#import-errors")
        .get_by_text("第8行「手机号」：13800 格式不正确，应为11位手机号码")
        .is_visible()
    )
    assert page.get_by_role("button", name="确认导入").count() == 0
    _fits_the_phone(page)
    shot(page, "orgs-import-preview-errors-phone")

    page.goto(f"{live_server.url}/manage/units/import/")
    page.set_input_files("#id_file", str(write_import_xlsx(tmp_path / "单位名单-改.xlsx", GOOD_ROWS)))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url("**/import/preview/")
    shot(page, "orgs-import-preview-phone")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/import/jobs/*/")
    assert page.get_by_text("导入完成：新建单位4个").is_visible()
    shot(page, "orgs-import-done-phone")
    assert (
        OrgUnit.objects.filter(name="泗县草沟镇").exists()
        and StaffContact.objects.filter(name="张伟").exists()
    )
    assert not errors, errors


def test_accounts_page_and_batch_on_a_phone(page, live_server, organizer, shot):
    errors: list[str] = []
    _watch(page, errors)
    _login(page, live_server, organizer)
    page.goto(f"{live_server.url}/manage/units/accounts/")
    _fits_the_phone(page)
    shot(page, "orgs-accounts-phone")
    page.check("label:has-text('泗县科学技术协会') >> xpath=../.. >> input[type=checkbox]")
    page.get_by_role("button", name="为勾选的单位创建").click()
    page.wait_for_url("**/accounts/batch/")
    assert page.get_by_text("初始密码只显示这一次。").is_visible()
    assert page.get_by_role("cell", name="341324-kx").is_visible()
    _fits_the_phone(page)
    shot(page, "orgs-accounts-batch-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载账号清单（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert not errors, errors
