"""Chinese by default, English at the press of a button (base.html posts to /i18n/setlang/)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client

LOCALE = Path(__file__).resolve().parent.parent / "sciweek" / "locale"


def test_it_speaks_chinese_by_default(client, demo):
    body = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in body
    assert "主要活动" in body and "2023年5月20日至31日" in body and "另行通知" in body
    assert 'name="language" value="en"' in body  # the switch offers English


def test_it_switches_to_english_and_back(demo):
    client = Client()
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Main activities" in body and "主要活动" not in body
    assert "20 May 2023 – 31 May 2023" in body
    assert "Log in" in body and "Home" in body
    assert 'name="language" value="zh-hans"' in body
    login = client.get("/accounts/login/").content.decode()
    assert "Log in to the Science and Technology Week platform" in login
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "2023年5月20日至31日" in client.get("/").content.decode()


def test_it_shows_a_units_deadlines_in_english(client_for, qxj):
    client = client_for(qxj)
    client.post("/i18n/setlang/", {"language": "en", "next": "/my/"})
    body = client.get("/my/").content.decode()
    assert "My deadlines" in body and "Role in the main activities" in body
    assert "18 May 2023 23:59" in body


def _po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr of the translated, singular entries of a .po file."""
    entries: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid_plural" in block or block.lstrip().startswith("#~"):
            continue
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if m:
            msgid = "".join(ast.literal_eval(s) for s in re.findall(r'".*"', m.group(1)))
            msgstr = "".join(ast.literal_eval(s) for s in re.findall(r'".*"', m.group(2)))
            if msgid and msgstr:
                entries[msgid] = msgstr
    return entries


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_the_compiled_catalog_matches_its_source(language):
    """The committed .mo is compiled from the committed .po (run compilemessages after editing)."""
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    entries = _po_entries(folder / "django.po")
    assert entries or language == "zh_Hans"
    stale = [msgid for msgid, msgstr in entries.items() if compiled.gettext(msgid) != msgstr]
    assert not stale, f"{len(stale)} entries differ, e.g. {stale[:3]}"


@pytest.mark.browser
def test_it_switches_language_in_the_browser(live_server, page, shot, demo):
    page.goto(live_server.url + "/")
    assert page.locator("h2", has_text="主要活动").is_visible()
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h2", has_text="Main activities").is_visible()
    assert "20 May 2023" in page.content()
    shot(page, "i18n-home-english")
