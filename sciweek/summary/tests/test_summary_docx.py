"""The generated summary: its numbers are the roll-up's, and the .docx is in GB/T 9704 layout."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from sciweek.reports.rollup import rollup
from sciweek.reports.summary_sections import (
    SummarySection,
    register_summary_section,
    unregister_summary_section,
)
from sciweek.summary.data import num
from sciweek.summary.render import render_docx, render_pdf
from sciweek.summary.services import summary_generate

from .summary_data import add_event, fill_county


@pytest.fixture
def county_draft(demo, unit, organizer):
    c = demo.campaign
    fill_county(c, [unit("县气象局"), unit("县科协"), unit("县教体局")])
    add_event(c, unit("县气象局"), "气象科普进校园", offline=300, audiences=["青少年", "中小学校"])
    add_event(c, unit("县科协"), "科普直播", online=5000, mode="online", category="直播")
    return summary_generate(campaign=c, node=c.org_unit, actor=organizer)


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_it_writes_the_rollups_numbers_into_the_text(county_draft, demo):
    c = demo.campaign
    totals = rollup(year=c.year, root=c.org_unit, approved_only=True, depth=0)[c.org_unit.code]
    doc = Document(io.BytesIO(render_docx(county_draft)))
    text = _text(doc)
    assert f"共举办科普活动{num(totals['events_held'])}次" in text
    assert f"线下活动群众参与{num(totals['public_offline'])}人次" in text
    assert f"线上活动群众参与{num(totals['public_online'])}人次" in text
    funds = sum(
        (totals[c] for c in ("fund_fiscal", "fund_enterprise", "fund_in_kind", "fund_other")), Decimal(0)
    )
    assert f"活动经费投入合计{num(funds)}万元" in text and f"财政经费{num(totals['fund_fiscal'])}万元" in text
    assert f"科技志愿者{num(totals['staff_volunteers'])}人" in text
    assert f"刊发（播出）报道{num(totals['media_reports'])}篇" in text
    assert "按形式分，线下1场、线上1场" in text
    assert "1.科普直播。" in text and "2.气象科普进校园。" in text  # highlights, most participants first
    assert "尚未报送" in text  # the demo's other units have not reported


def test_the_docx_is_in_the_official_layout(county_draft):
    doc = Document(io.BytesIO(render_docx(county_draft)))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)  # A4
    assert round(s.top_margin.mm) == 37 and round(s.left_margin.mm) == 28  # 天头, 订口
    assert round(Mm(0).mm + (s.page_width - s.left_margin - s.right_margin) / 36000) == 156  # 版心 width
    assert round((s.page_height - s.top_margin - s.bottom_margin) / 36000) == 225
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) * 22 == pytest.approx(Mm(225).twips, abs=22)
    # every run with text names its East Asian font
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    title = doc.paragraphs[0].runs[0]
    assert title.text == "泗县2023年科技活动周工作总结"
    assert title.font.size == Pt(22) and title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("活动周期间"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    h1 = next(p for p in doc.paragraphs if p.text == "一、基本情况")
    h2 = next(p for p in doc.paragraphs if p.text == "（一）活动开展情况")
    assert h1.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert h2.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    # the template's own fonts are gone: no theme font, no MS Mincho anywhere in the styles
    styles_xml = doc.styles.element.xml
    assert "eastAsiaTheme" not in styles_xml and "Mincho" not in styles_xml and "明朝" not in styles_xml
    # page numbers: odd right, even left, "— PAGE —" in 4号宋体, even/odd footers on
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # RIGHT, LEFT
    for p in (odd, even):
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.runs[0].font.size == Pt(14) and p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    # the issuing unit and the date at the end, right-aligned
    tail = [p for p in doc.paragraphs if p.text.strip()][-2:]
    assert tail[0].text == "泗县科学技术局" and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", tail[1].text)
    assert all(p.alignment == 2 for p in tail)
    # charts and photos as images
    assert len(doc.inline_shapes) == len(county_draft.charts) + len(county_draft.photos) >= 4


def test_a_registered_domain_section_appears(demo, organizer):
    @register_summary_section("contest-test", order=1)
    def contest(*, year, root):
        return SummarySection(
            "contest",
            "青少年科技创新大赛",
            ("共收到参赛作品42件，评出一等奖3件。",),
            {"entries": (Decimal(42), "件")},
        )

    try:
        draft = summary_generate(campaign=demo.campaign, node=demo.campaign.org_unit, actor=organizer)
    finally:
        unregister_summary_section("contest-test")
    texts = [b["text"] for b in draft.blocks]
    assert "（一）青少年科技创新大赛" in texts and "共收到参赛作品42件，评出一等奖3件。" in texts


def test_last_years_campaign_gives_a_comparison(demo, unit, organizer):
    from sciweek.reports.tests.stats_data import campaign_for, put_report

    last = campaign_for(demo.campaign.org_unit, 2022)
    put_report(last, unit("县气象局"), {"events_held": 4}, status="approved")
    put_report(demo.campaign, unit("县气象局"), {"events_held": 6}, status="approved")
    draft = summary_generate(campaign=demo.campaign, node=demo.campaign.org_unit, actor=organizer)
    text = "\n".join(b["text"] for b in draft.blocks)
    assert "与2022年相比" in text and "举办活动次数6次，上年4次，增长50.0%" in text
    assert "yoy" in draft.charts


def test_a_units_summary_and_the_command(demo, unit, tmp_path):
    fill_county(demo.campaign, [unit("县气象局")])
    out = tmp_path / "qxj.docx"
    call_command(
        "summary", "--campaign", str(demo.campaign.pk), "--unit", str(unit("县气象局").pk), "--out", str(out)
    )
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "泗县气象局2023年科技活动周工作总结"
    assert "共举办科普活动6次" in _text(doc)
    pdf = tmp_path / "county.pdf"
    call_command("summary", "--campaign", "2023", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_pdf_has_the_text(county_draft):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(county_draft)))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "泗县2023年科技活动周工作总结" in text and "— 1 —" in text


def test_data_generated_at_is_the_campaigns_moment_and_moves_on_regeneration(
    demo, organizer, client_for, settings
):
    """数据生成于 showed the first generation's real time: 2026 on a demo at 2023年5月30日, and the same
    time after 按当前数据重新生成 although the figures were gathered anew."""
    import datetime as dt

    from django.utils import timezone

    from sciweek.core import clock

    settings.DEMO_MODE = True
    c = demo.campaign
    first = timezone.make_aware(dt.datetime(2023, 5, 29, 9, 0))
    with clock.demo_at(first):
        draft = summary_generate(campaign=c, node=c.org_unit, actor=organizer)
    assert draft.generated_at == first
    again = timezone.make_aware(dt.datetime(2023, 5, 30, 15, 0))
    with clock.demo_at(again):
        draft = summary_generate(campaign=c, node=c.org_unit, actor=organizer)
    draft.refresh_from_db()
    assert draft.version == 2 and draft.generated_at == again
    with clock.demo_at(again):
        body = client_for(organizer).get(f"/summary/campaign/{c.pk}/").content.decode()
    assert "数据生成于 2023年5月30日 15:00" in body


def test_a_refused_save_shows_the_editor_again_with_what_was_typed(county_draft, demo, organizer, client_for):
    """A paragraph over the limit (or a stale version) used to send the editor back to the stored draft,
    and everything typed was gone; now the page comes back (400) holding the typed text, nothing saved."""
    c = client_for(organizer)
    url = f"/summary/campaign/{demo.campaign.pk}/"
    typed = "我们新写的一段总结。" * 10
    too_long = "长" * 5001
    r = c.post(url, {"version": county_draft.version, "title": "改过的标题", "style": ["body", "body"],
                     "text": [typed, too_long], "signature": "泗县科学技术局", "sign_date": "2023-06-02"})  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 400
    assert 'value="改过的标题"' in body and typed in body and too_long in body
    county_draft.refresh_from_db()
    assert county_draft.title != "改过的标题" and all(b["text"] != typed for b in county_draft.blocks)
