"""Shared test fixtures: the demo campaign and named personas, a Playwright browser on Debian's Chromium.

Personas (all from the 2023 泗县 demo):
- organizer: 县科技局 (organizer on 泗县)        - xcb: 县委宣传部 (co-organizer)
- qxj: 县气象局 unit reporter                    - town1: 示例镇一 unit reporter (the "other unit")
- city: 宿州市科技局 (organizer on 宿州市)       - province: 安徽省 viewer
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
# The checkout sits next to shared/ (/work/main) or deeper (a worktree under /work/wt/): nearest wins.
SEED = next(
    (
        p / "shared" / "seeds" / "000_090cf951051caf04.txt"
        for p in Path(__file__).resolve().parents[1:]
        if (p / "shared" / "seeds" / "000_090cf951051caf04.txt").is_file()
    ),
    Path(__file__).resolve().parent.parent / "shared" / "seeds" / "000_090cf951051caf04.txt",
)


@pytest.fixture
def demo(db):
    from sciweek.demo.loader import load_demo

    loaded = load_demo(full=False)  # the seed and the statistics form; tests add other parts themselves
    logins = {login.username: login.password for login in loaded.logins}
    return type("Demo", (), {"logins": logins, "campaign": loaded.campaign})


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def organizer(demo):
    return _user("sx-kjj")


@pytest.fixture
def xcb(demo):
    return _user("sx-xcb")


@pytest.fixture
def qxj(demo):
    return _user("sx-qxj")


@pytest.fixture
def town1(demo):
    return _user("sx-town1")


@pytest.fixture
def city(demo):
    return _user("sz-kjj")


@pytest.fixture
def province(demo):
    return _user("ah-kjt")


def _client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def unit(demo):
    """Look up a demo unit by its short name: unit("县气象局")."""
    from sciweek.orgs.models import OrgUnit

    return lambda short: (
        OrgUnit.objects.get(short_name=short) if short != "泗县" else OrgUnit.objects.get(name=short)
    )


@pytest.fixture(autouse=True)
def _media_root_and_cache(settings, tmp_path):
    from django.core.cache import cache
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # fragments and rate-limit counters never leak from one test into the next
    # Each test starts in the site's language: a request or test in English leaves English active on
    # its thread, and a later test would read (or text a voter) English it never asked for.
    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


@pytest.fixture
def shot():
    """shot(page, "name") saves a full-page screenshot into test-artifacts/."""

    def take(pg, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take
