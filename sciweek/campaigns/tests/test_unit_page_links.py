"""The unit page (/my/<unit_id>/) is cached, but its links depend on who looks: every link it shows
must open for that person, whoever happened to fill the cache first."""

from __future__ import annotations

import html as htmllib
import re

from sciweek.reports.services import report_get_or_create


def _links(client, unit) -> list[str]:
    """The unit's own part of the page (below the title): every link in it."""
    page = client.get(f"/my/{unit.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    body = body[body.index("<h1") : body.index('id="staff"')]
    return [htmllib.unescape(h) for h in re.findall(r'href="(/[^"]*)"', body)]


def _assert_all_open(client, links: list[str]) -> None:
    for link in links:
        r = client.get(link, follow=True)
        assert r.status_code == 200, (link, r.status_code)


def test_each_viewer_gets_links_they_can_open_whoever_filled_the_cache(
    client_for, demo, unit, qxj, organizer, xcb, province
):
    qxj_unit = unit("县气象局")
    report = report_get_or_create(campaign=demo.campaign, unit=qxj_unit, actor=qxj)
    campaign = demo.campaign.pk
    as_unit = client_for(qxj)
    unit_links = _links(as_unit, qxj_unit)  # the unit looks first: its copy is cached
    assert f"/reports/{campaign}/mine/?unit={qxj_unit.pk}" in unit_links
    assert f"/my/publicity/{campaign}/{qxj_unit.pk}/" in unit_links
    assert f"/my/events/?unit={qxj_unit.pk}&campaign={campaign}" in unit_links
    _assert_all_open(as_unit, unit_links)

    # The organizer: the unit's report as reviewer (not the unit's fill-in page, which answers 404),
    # the unit's events (not "my events": the organizer has no unit of its own), edit links kept.
    as_organizer = client_for(organizer)
    links = _links(as_organizer, qxj_unit)
    assert f"/reports/{report.pk}/" in links and not any("/mine/" in link for link in links)
    assert "/my/events/" not in links and f"/my/events/?unit={qxj_unit.pk}&campaign={campaign}" in links
    assert f"/my/staff/{qxj_unit.pk}/" in links
    _assert_all_open(as_organizer, links)

    # A co-organizer and a viewer above read: no links to pages they may not edit (403).
    for reader in (xcb, province):
        client = client_for(reader)
        links = _links(client, qxj_unit)
        assert f"/reports/{report.pk}/" in links
        assert not any(link.startswith(("/my/staff/", "/my/publicity/")) for link in links)
        _assert_all_open(client, links)

    assert _links(as_unit, qxj_unit) == unit_links  # and the unit's own copy is unchanged


def test_the_organizer_looking_first_does_not_hand_the_unit_reviewer_links(
    client_for, demo, unit, qxj, organizer
):
    qxj_unit = unit("县气象局")
    report_get_or_create(campaign=demo.campaign, unit=qxj_unit, actor=qxj)
    _links(client_for(organizer), qxj_unit)
    as_unit = client_for(qxj)
    links = _links(as_unit, qxj_unit)
    assert f"/reports/{demo.campaign.pk}/mine/?unit={qxj_unit.pk}" in links
    _assert_all_open(as_unit, links)
