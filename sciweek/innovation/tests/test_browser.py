"""In Chromium on a phone-sized screen: a town records a technology demand (a wrong field is shown next
to it), the bureau opens the ranked matches and confirms the plant-protection expert."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from sciweek.core.models import Notification
from sciweek.innovation import services
from sciweek.innovation.models import Demand, Match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_town_records_a_demand_and_the_bureau_confirms_a_match(
    live_server, page, shot, browser, town1, organizer, enterprise, experts
):
    _login(page, live_server, town1)
    page.goto(f"{live_server.url}/innovation/enterprises/{enterprise.pk}/")
    page.get_by_role("link", name="登记技术需求").click()
    page.fill("#id_title", "小麦赤霉病防控")
    page.fill("#id_description", "今年小麦抽穗期赤霉病发病重，需要绿色防控技术指导。")
    page.click("#demand-form button.btn-primary")
    expect(page.locator("[data-error-for=field]")).to_have_text("请填写「技术领域」。")
    shot(page, "innovation-1-demand-form-error")
    page.select_option("#id_field", "crops")
    page.select_option("#id_demand_type", "research")
    page.fill("#id_budget", "12.5")
    page.click("#demand-form button.btn-primary")
    page.wait_for_selector("#to-matches")
    demand = Demand.objects.get()
    assert demand.title == "小麦赤霉病防控" and demand.unit == enterprise.unit
    shot(page, "innovation-2-demand-detail")
    page.select_option("#id_to", "reviewed")
    page.click("#status-form button.btn-primary")
    expect(page.locator(".sw-pipeline .text-bg-primary")).to_have_text("审核")

    bureau = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = bureau.new_page()
    _login(pg, live_server, organizer)
    demand.refresh_from_db()
    services.demand_set_status(actor=organizer, demand=demand, to="matching", version=demand.version)
    pg.goto(f"{live_server.url}/innovation/demands/{demand.pk}/matches/")
    items = pg.locator("#matches .sw-match")
    expect(items.first).to_contain_text("李植保")
    names = items.locator(".fw-semibold").all_inner_texts()
    assert [n for n in names if "张机械" in n], names
    assert names.index(next(n for n in names if "李植保" in n)) < names.index(
        next(n for n in names if "张机械" in n)
    )
    expect(items.first).to_contain_text("领域相同")
    shot(pg, "innovation-3-matches-phone")
    items.first.get_by_role("button", name="确认匹配并通知双方").click()
    expect(pg.locator("#matches .sw-match").first).to_contain_text("已确认")
    assert Match.objects.get().expert == experts["plant"]
    assert Notification.objects.filter(unit=enterprise.unit, title__contains="已匹配").exists()
    # Nothing sticks out sideways on a phone.
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.goto(f"{live_server.url}/innovation/")
    pg.wait_for_selector("#chart-status canvas")
    shot(pg, "innovation-4-dashboard-phone")
    bureau.close()


def test_a_town_edits_a_visit_and_deletes_an_application_on_a_phone(
    live_server, page, shot, town1, organizer, enterprise
):
    from sciweek.innovation.models import ProjectApplication, Visit

    visit = services.visit_create(actor=organizer, enterprise=enterprise, date="2023-05-22", visitors="陈曦")
    app = services.application_create(
        actor=organizer, enterprise=enterprise, programme="科技型中小企业评价", level="national", year=2023
    )
    _login(page, live_server, town1)
    page.goto(f"{live_server.url}/innovation/enterprises/{enterprise.pk}/")
    expect(page.locator(f"#visit-{visit.pk}-edit")).to_be_visible()
    shot(page, "innovation-5-records-with-actions-phone")
    page.click(f"#visit-{visit.pk}-edit")
    expect(page.locator("#id_visitors")).to_have_value("陈曦")  # prefilled
    page.fill("#id_findings", "缺少病害检测设备")
    shot(page, "innovation-6-visit-edit-phone")
    page.click("#record-edit-form button.btn-primary")
    expect(page.locator(f"#visit-{visit.pk}")).to_contain_text("缺少病害检测设备")
    visit.refresh_from_db()
    assert (visit.findings, visit.version) == ("缺少病害检测设备", 2)
    # Delete asks first: dismissed, nothing happens; accepted, the application goes.
    page.once("dialog", lambda d: d.dismiss())
    page.click(f"#application-{app.pk}-delete")
    expect(page.locator(f"#application-{app.pk}")).to_be_visible()
    assert ProjectApplication.objects.filter(pk=app.pk).exists()
    questions: list[str] = []

    def accept(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.click(f"#application-{app.pk}-delete")
    expect(page.locator(".alert").first).to_contain_text("已删除项目申报记录")
    expect(page.locator(f"#application-{app.pk}")).to_have_count(0)
    assert questions and "删除" in questions[0]
    assert (
        not ProjectApplication.objects.filter(pk=app.pk).exists()
        and Visit.objects.filter(pk=visit.pk).exists()
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "innovation-7-after-delete-phone")
