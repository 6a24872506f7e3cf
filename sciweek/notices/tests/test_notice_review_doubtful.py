"""On the review screen the fields the importer is least sure of come first and stand out; unit names
read from an activity table that match no unit are listed for mapping like any other."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sciweek.campaigns.models import NoticeImport
from sciweek.notices.tests.corpus.render import Table, to_docx, to_text
from sciweek.notices.tests.corpus.tuned import QINGFENG

ROWS = (
    ("1", "科技活动周启动仪式", "5月25日", "县文化广场", "县科技局", "县科协、县无人机爱好者协会"),
    ("2", "科普讲座进校园", "5月27日", "县实验小学", "县教育局", "县科协"),
    ("3", "农技服务", "县农技推广中心", "5月28日", "", ""),  # time and place swapped, no units: doubtful
)


def _notice() -> list[object]:
    table = Table(("序号", "活动名称", "时间", "地点", "牵头单位", "配合单位"), ROWS)
    return [table if isinstance(b, Table) else b for b in QINGFENG]


@pytest.fixture
def tree(demo):
    demo.campaign.delete()
    return demo


def _review(client, name: str, data: bytes) -> str:
    r = client.post(
        "/manage/notices/import/", {"file": SimpleUploadedFile(name, data), "close_of_business": "17:30"}
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    page = client.get(r["Location"])
    assert page.status_code == 200
    return page.content.decode()


def _block(page: str, anchor: str) -> str:
    m = re.search(rf'<div class="([^"]*)" id="{anchor}">', page)
    assert m, anchor
    return m.group(1)


@pytest.mark.parametrize("shape", ["txt", "docx"])
def test_it_shows_doubtful_fields_first_and_lists_unknown_units_from_a_table(
    client_for, organizer, tree, shape
):
    c = client_for(organizer)
    blocks = _notice()
    data = to_text(blocks).encode() if shape == "txt" else to_docx(blocks)  # type: ignore[arg-type]
    page = _review(c, f"通知.{shape}", data)
    draft = NoticeImport.objects.get().draft
    assert [a["title"] for a in draft["activities"]] == ["科技活动周启动仪式", "科普讲座进校园", "农技服务"]
    assert draft["confidence"]["activities[2]"] < 0.7 <= draft["confidence"]["activities[0]"]
    # the doubtful activity is named at the top, linked, and its card is marked; the sure ones are not
    doubtful = page[page.index('id="doubtful"') : page.index('id="doubtful"') + 800]
    assert 'href="#act-2"' in doubtful and "农技服务" in doubtful
    assert 'href="#act-0"' not in doubtful
    assert "sw-low" in _block(page, "act-2") and "sw-low" not in _block(page, "act-0")
    assert page.index('id="doubtful"') < page.index('id="basics"')
    # a name from the table that matches no unit is offered for mapping
    unmatched = page[page.index('id="unmatched"') :]
    assert "县无人机爱好者协会" in unmatched[: unmatched.index("</section>")]


def test_it_shows_no_doubt_box_for_a_clean_notice(client_for, organizer, tree):
    c = client_for(organizer)
    page = _review(c, "通知.txt", to_text(QINGFENG).encode())  # type: ignore[arg-type]
    assert 'id="doubtful"' not in page
    assert "sw-low" not in re.sub(r"<style>.*?</style>", "", page, flags=re.S)


@pytest.mark.browser
def test_it_jumps_from_the_doubt_box_to_the_doubtful_activity_on_a_phone(
    live_server, page, transactional_db, demo, tmp_path
):
    from conftest import ARTIFACTS

    from .test_notice_import_browser import log_in

    demo.campaign.delete()
    notice = tmp_path / "活动安排表通知.docx"
    notice.write_bytes(to_docx(_notice()))  # type: ignore[arg-type]
    log_in(page, live_server.url, "sx-kjj", demo.logins["sx-kjj"])
    page.goto(f"{live_server.url}/manage/notices/import/")
    page.set_input_files("input[name=file]", str(notice))
    page.click("text=识别通知")
    page.wait_for_selector("#doubtful")
    page.screenshot(path=str(ARTIFACTS / "notice-review-doubtful-phone.png"))
    page.click("#doubtful a[href='#act-2']")
    card = page.locator("#act-2")
    assert card.is_visible() and "请优先核对" in card.inner_text()
    border = card.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert border == "rgb(232, 163, 61)"
    card.screenshot(path=str(ARTIFACTS / "notice-review-doubtful-activity.png"))
