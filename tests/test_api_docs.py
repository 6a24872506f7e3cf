"""The API's Swagger page works on an intranet: its assets are served by us, and the CSP lets it run."""

from __future__ import annotations

import pytest


def test_the_docs_page_loads_nothing_from_outside(client, demo):
    body = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body and "//unpkg" not in body


@pytest.mark.browser
def test_the_docs_page_renders_in_the_browser(live_server, page, shot, demo):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "sciweek API" in page.locator(".swagger-ui .info .title").inner_text()
    page.get_by_text("/api/v1/campaigns/{campaign_id}/requirements", exact=True).first.wait_for()
    shot(page, "api-docs")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
