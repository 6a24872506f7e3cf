"""The import as the organizer does it in Chromium: upload, read the preview, drop the bad file, commit."""

from __future__ import annotations

import gc
import threading

import pytest
from django.db import connection

from sciweek.reports.models import Report

from .test_dashboard_browser import DESKTOP, _login, _watch
from .test_exchange_bad_files import pdf_bytes, reformatted_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_imports_e_mailed_tables_in_the_browser(
    page, browser, live_server, organizer, demo, unit, tmp_path, shot, settings
):
    errors: list[str] = []
    _watch(page, errors)
    (tmp_path / "气象局.xlsx").write_bytes(reformatted_table("单位（盖章）：泗县气象局", events=6))
    (tmp_path / "无名.xlsx").write_bytes(reformatted_table("单位（盖章）：某某中心", events=2))
    (tmp_path / "统计表.xlsx").write_bytes(pdf_bytes())
    _login(page.context, live_server, organizer)
    page.goto(f"{live_server.url}/reports/{demo.campaign.pk}/exchange/")
    shot(page, "reports-exchange-phone")
    page.set_input_files(
        "#import-files", [str(tmp_path / n) for n in ("气象局.xlsx", "无名.xlsx", "统计表.xlsx")]
    )
    page.click("#import-form button")
    page.wait_for_selector("#preview-form")
    assert "检测到 PDF 内容" in page.inner_text("#blocking")
    assert "某某中心" in page.inner_text("#blocking")
    shot(page, "reports-import-preview-phone")

    page.click("[data-file='2'] button[name=remove]")
    page.wait_for_selector("#preview-form")
    page.select_option("select[name=unit_1]", label="泗县应急管理局")
    page.click("#commit")
    page.wait_for_selector("#import-done")
    assert "已导入 2 个单位的统计表" in page.inner_text("#import-done")
    assert Report.objects.get(unit=unit("县应急管理局")).status == Report.Status.SUBMITTED
    shot(page, "reports-import-done-phone")

    # As in production without a broker: the job runs in a thread, the page polls and moves on by itself.
    # (Not on SQLite: the test database is a shared in-memory one, which a second writer thread locks.)
    settings.SCIWEEK_JOBS_SYNC = connection.vendor != "postgresql"
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    desktop = context.new_page()
    _watch(desktop, errors)
    _login(context, live_server, organizer)
    desktop.goto(f"{live_server.url}/reports/{demo.campaign.pk}/exchange/")
    desktop.set_input_files("#import-files", [str(tmp_path / "气象局.xlsx")])
    desktop.click("#import-form button")
    desktop.wait_for_url("**/import/*/", timeout=30000)
    desktop.wait_for_selector("#preview-form")
    assert "数值与系统中一致，无变化" in desktop.inner_text("#preview-form")
    shot(desktop, "reports-import-preview-desktop")
    context.close()
    for thread in threading.enumerate():  # the job thread's database connection goes with the thread
        if thread.name.startswith("sciweek-job-"):
            thread.join(30)
    gc.collect()
    assert not errors, errors
