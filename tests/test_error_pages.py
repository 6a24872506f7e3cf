"""Error pages: Chinese, in the site's layout, a way back and the contact; JSON under /api/; a favicon."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from sciweek import urls as root_urls


def _boom(request):
    raise RuntimeError("boom")


def _denied(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    *root_urls.urlpatterns,
    path("test-boom/", _boom),
    path("test-denied/", _denied),
    path("test-bad/", _bad),
]
handler400, handler403 = root_urls.handler400, root_urls.handler403
handler404, handler500 = root_urls.handler404, root_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _check_page(body: str, title: str) -> None:
    assert title in body
    assert 'href="/">返回首页' in body and 'href="/home/">我的工作台' in body
    assert "陈曦" in body and "7022310" in body  # the campaign's contact
    assert 'class="navbar' in body  # the site's layout


def test_it_shows_a_chinese_404_with_a_way_back(client, demo):
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    _check_page(r.content.decode(), "页面不存在")


def test_it_shows_403_400_and_500_pages(demo):
    client = Client(raise_request_exception=False)
    r = client.get("/test-denied/")
    assert r.status_code == 403
    _check_page(r.content.decode(), "没有权限")
    r = client.get("/test-bad/")
    assert r.status_code == 400
    _check_page(r.content.decode(), "请求有误")
    r = client.get("/test-boom/")
    assert r.status_code == 500
    _check_page(r.content.decode(), "系统出了点问题")


def test_the_api_keeps_json_errors(client, demo):
    r = client.get("/api/v1/no-such-thing/")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    assert r.json() == {"detail": "页面不存在"}


def test_it_has_a_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 302 and r["Location"].endswith("sciweek/favicon.ico")
    body = client.get("/").content.decode()
    assert 'rel="icon" href="/static/sciweek/favicon.svg"' in body
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find("sciweek/favicon.ico")) as ico:
        assert ico.format == "ICO" and (32, 32) in ico.info["sizes"]


@pytest.mark.django_db
def test_a_reason_our_code_gives_is_shown_and_djangos_own_is_not(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from sciweek.errors import own_reason, page_not_found

    def ours():  # raised inside sciweek: no campaign is published yet
        from sciweek.events.selectors import _public_campaign

        _public_campaign(None)

    def djangos():
        from django.contrib.auth import get_user_model
        from django.shortcuts import get_object_or_404

        get_object_or_404(get_user_model(), pk=-1)

    for raise_it, expected in ((ours, "当前没有正在发布的活动周"), (djangos, "")):
        try:
            raise_it()
        except Http404 as exc:
            assert own_reason(exc) == expected
            request = rf.get("/x/")
            request.user = AnonymousUser()
            body = page_not_found(request, exc).content.decode()
            assert ('id="error-reason"' in body) is bool(expected)
            assert "matches the given query" not in body
