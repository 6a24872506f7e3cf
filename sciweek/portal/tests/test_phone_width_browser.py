"""On a phone nothing may be wider than the screen: Bootstrap's rows hang out by half a gutter (.75rem)
on each side, so the page's own side padding must be at least that, or every page with a row (the home
page, the login, a campaign, a certificate check) slides sideways by a few pixels under the thumb."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_fit_a_phone_screen(demo, live_server, page):
    for path in ("/", "/accounts/login/", f"/c/{demo.campaign.pk}/", "/contest/verify/NOPE/"):
        page.goto(f"{live_server.url}{path}")
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className).slice(0, 3)"
        )
        assert wide == [], (path, wide)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
