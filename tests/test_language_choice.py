"""Chinese first: a browser asking for English still gets Chinese; the language switch gets English."""

from __future__ import annotations

from django.test import Client


def test_a_browser_asking_for_english_gets_chinese(demo):
    r = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/")
    body = r.content.decode()
    assert '<html lang="zh-CN">' in body and "主要活动" in body
    assert r["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in r.get("Vary", "")  # the page no longer depends on it
    assert "Cookie" in r["Vary"]  # but on the choice


def test_the_switch_gets_english_whatever_the_browser_asks_for(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302 and client.cookies["django_language"].value == "en"
    r = client.get("/")
    assert '<html lang="en">' in r.content.decode() and "Main activities" in r.content.decode()
    assert r["Content-Language"] == "en"
    # And back to Chinese, even from a browser that prefers English.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-CN">' in client.get("/").content.decode()


def test_a_cookie_for_a_regional_variant_or_an_unknown_language(demo):
    client = Client()
    client.cookies["django_language"] = "en-gb"  # a variant of a language we have
    assert '<html lang="en">' in client.get("/").content.decode()
    client.cookies["django_language"] = "fr"  # one we do not have: Chinese, not an error
    r = client.get("/")
    assert r.status_code == 200 and '<html lang="zh-CN">' in r.content.decode()


def test_the_login_page_is_chinese_for_an_english_browser(demo):
    r = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/")
    assert "登录" in r.content.decode()
