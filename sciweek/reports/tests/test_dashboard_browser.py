"""The dashboard and the roll-up in headless Chromium, on a phone and on a desktop screen."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from sciweek.orgs.models import OrgUnit

from .stats_data import campaign_for, put_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def _watch(page, errors: list[str]) -> None:
    """Console errors and uncaught exceptions (a CSP violation shows up here too); the favicon is not ours."""
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))


def _login(context, live_server, user) -> None:
    c = Client()
    c.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def filled(demo):
    rnd = random.Random(7)
    units = list(demo.campaign.participating_units())
    statuses = ["approved"] * 12 + ["submitted"] * 8 + ["returned"] * 2 + ["draft"] * 3
    for u, status in zip(units, statuses, strict=False):
        put_report(
            demo.campaign,
            u,
            {
                "events_held": rnd.randint(1, 12),
                "fund_fiscal": f"{rnd.randint(0, 80) / 10}",
                "fund_enterprise": f"{rnd.randint(0, 30) / 10}",
                "fund_in_kind": f"{rnd.randint(0, 20) / 10}",
                "fund_other": "—",
                "staff_fulltime": rnd.randint(0, 10),
                "staff_scientists": rnd.randint(0, 30),
                "staff_volunteers": rnd.randint(0, 50),
                "staff_other": rnd.randint(0, 20),
                "public_offline": rnd.randint(50, 3000),
                "public_online": rnd.randint(0, 40000),
                "media_outlets": rnd.randint(0, 5),
                "media_reports": rnd.randint(0, 12),
                "venues_opened": rnd.randint(0, 2),
                "institutes_opened": rnd.randint(0, 1),
                "universities_opened": 0,
            },
            status=status,
            is_late=rnd.random() < 0.2,
        )
    last = campaign_for(demo.campaign.org_unit, 2022, "2022年泗县科技活动周")
    for u in units[:15]:
        put_report(
            last,
            u,
            {
                "events_held": rnd.randint(1, 8),
                "fund_fiscal": "2",
                "public_offline": 800,
                "public_online": 5000,
            },
            status="approved",
        )
    return demo


def _check_dashboard(page, live_server, campaign, errors, shot, name: str) -> None:
    page.goto(f"{live_server.url}/reports/{campaign.pk}/dashboard/")
    page.wait_for_selector("#chart-units canvas")
    for chart in ("chart-completeness", "chart-funding", "chart-units", "chart-rows"):
        assert page.locator(f"#{chart} canvas").count() >= 1, chart
    assert page.locator("#totals").is_visible()
    page.select_option("#unit-row", "public_offline")
    page.wait_for_timeout(300)
    shot(page, name)
    assert not errors, errors


def test_it_draws_the_dashboard_on_a_phone_and_a_desktop(page, browser, live_server, organizer, filled, shot):
    errors: list[str] = []
    _watch(page, errors)
    _login(page.context, live_server, organizer)
    _check_dashboard(page, live_server, filled.campaign, errors, shot, "reports-dashboard-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"

    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    desktop = context.new_page()
    _watch(desktop, errors)
    _login(context, live_server, organizer)
    _check_dashboard(desktop, live_server, filled.campaign, errors, shot, "reports-dashboard-desktop")
    context.close()


def test_it_drills_down_the_rollup_in_the_browser(page, browser, live_server, city, filled, shot):
    errors: list[str] = []
    _watch(page, errors)
    _login(page.context, live_server, city)
    page.goto(f"{live_server.url}/reports/{filled.campaign.pk}/rollup/")
    assert "宿州市 · 2023年科技活动周统计汇总" in page.inner_text("h1")
    page.click("#rollup-table a:has-text('泗县')")
    page.wait_for_selector("#chart-rollup canvas")
    assert "泗县 · 2023年科技活动周统计汇总" in page.inner_text("h1")
    assert page.locator("#rollup-table tbody tr").count() > 20
    shot(page, "reports-rollup-phone")
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    desktop = context.new_page()
    _watch(desktop, errors)
    _login(context, live_server, city)
    county = OrgUnit.objects.get(name="泗县")
    desktop.goto(f"{live_server.url}/reports/{filled.campaign.pk}/rollup/?root={county.pk}&scope=approved")
    desktop.wait_for_selector("#chart-rollup canvas")
    shot(desktop, "reports-rollup-desktop")
    context.close()
    assert not errors, errors
