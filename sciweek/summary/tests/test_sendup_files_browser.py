"""In Chromium: the city opens a county's second send-up and sees the snapshot's own photo and video
(loaded from the snapshot's copies after the unit's upload was replaced), the diff and every version."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from sciweek.reports.tests.report_files import jpeg_bytes
from sciweek.summary import sendup

from .test_sendup_files import with_files  # noqa: F401  (fixture)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_city_sees_the_snapshots_own_files_and_versions(
    live_server,
    page,
    shot,
    demo,
    organizer,
    city,
    with_files,  # noqa: F811
):
    photo, video = with_files["photo"], with_files["video"]
    first = sendup.sendup_send(source=demo.campaign, actor=organizer, media=[photo.pk], with_summary=False)
    sendup.sendup_return(sendup=first, actor=city, reason="请补充视频")
    second = sendup.sendup_send(
        source=demo.campaign, actor=organizer, media=[photo.pk, video.pk], with_summary=False
    )
    default_storage.delete(photo.file.name)  # the unit replaces its photo afterwards
    default_storage.save(photo.file.name, ContentFile(jpeg_bytes(64, 64)))
    c = Client()
    c.force_login(get_user_model().objects.get(pk=city.pk))
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/summary/sendup/{second.pk}/")
    img = page.locator("#media img").first
    img.wait_for()
    page.wait_for_function("document.querySelector('#media img').naturalWidth > 0")
    assert page.evaluate("document.querySelector('#media img').naturalWidth") == 640  # the copy, not 64
    assert page.locator("#media video").count() == 1
    assert page.locator("#diff").is_visible()
    assert page.locator("[data-media-diff]").count() == 1  # the video was added; the same photo is no change
    shot(page, "sendup-files-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "sendup-files-desktop")
    page.goto(f"{live_server.url}/summary/campaign/{second.target_id}/received/")
    page.locator("[data-versions] summary").first.click()
    assert page.locator("[data-versions] li").count() == 2
    shot(page, "sendup-queue-versions")
