"""The draft text of a summary, written from ``data.gather``'s figures in the usual shape of a county's
活动总结: what was done, the figures, highlights, problems, comparison with last year, next steps.

Every number in the text is taken from the figures as ``data.num`` writes it, so a test can find the
roll-up's totals in the document word for word.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .data import num

CN_NUMBERS = "一二三四五六七八九十"
FUNDS = (
    ("fund_fiscal", "财政经费"),
    ("fund_enterprise", "企业赞助经费"),
    ("fund_in_kind", "实物投入"),
    ("fund_other", "其他经费"),
)
STAFF = (
    ("staff_fulltime", "科普专职人员", "人"),
    ("staff_scientists", "科技工作者", "人"),
    ("staff_volunteers", "科技志愿者", "人"),
    ("staff_other", "其他人员", "人"),
)
OPENED = (
    ("venues_opened", "科普场馆", "个"),
    ("institutes_opened", "科研机构", "个"),
    ("universities_opened", "大学", "所"),
)
#: rows the narrative quotes by name; any other row of the form is listed in a sentence of its own
NARRATED = {"events_held", "public_offline", "public_online", "media_outlets", "media_reports"} | {
    c for c, *_ in FUNDS + STAFF + OPENED
}


def cn_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def date_range(start: str, end: str) -> str:
    """2023年5月20日至5月31日 (the year once when both days share it)."""
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    tail = f"{b.month}月{b.day}日" if a.year == b.year else cn_date(end)
    return f"{cn_date(start)}至{tail}"


def _listing(counter: dict[str, int], unit: str = "场") -> str:
    return "、".join(f"{k}{n}{unit}" for k, n in counter.items())


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[dict[str, str]] = []
        self.h1_count = 0
        self.h2_count = 0

    def h1(self, text: str) -> None:
        self.h1_count += 1
        self.h2_count = 0
        self.blocks.append({"style": "h1", "text": f"{CN_NUMBERS[self.h1_count - 1]}、{text}"})

    def h2(self, text: str) -> None:
        self.h2_count += 1
        self.blocks.append({"style": "h2", "text": f"（{CN_NUMBERS[self.h2_count - 1]}）{text}"})

    def p(self, text: str) -> None:
        if text:
            self.blocks.append({"style": "p", "text": text})


def _has(t: dict[str, str], code: str) -> bool:
    return code in t


def draft_blocks(f: dict[str, Any]) -> list[dict[str, str]]:
    t: dict[str, str] = f["totals"]
    rows = {r["code"]: r for r in f["rows"]}
    w = _Writer()
    who = f["node_name"]
    basis = "（数据以审核通过的统计表为准）" if f["approved_only"] else "（数据含已提交待审核的统计表）"
    w.p(
        f"按照《{f['title']}》的部署，{date_range(f['start'], f['end'])}，{who}以“{f['theme']}”为主题，"
        f"在{f['organizers']}的组织下，广泛开展了{f['year']}年科技活动周各项活动。现将活动开展情况总结如下{basis}。"
    )
    w.h1("基本情况")
    ev = f["events"]
    w.h2("活动开展情况")
    text = (
        f"活动周期间，共举办科普活动{num(Decimal(t.get('events_held', '0')))}次。"
        if _has(t, "events_held")
        else ""
    )
    if ev["count"]:
        text += f"在平台登记并发布的活动{ev['count']}场，按形式分，{_listing(ev['by_mode'])}"
        if ev["by_category"]:
            text += f"；按类别分，{_listing(ev['by_category'])}"
        if ev["by_audience"]:
            text += f"；按面向对象分，{_listing(ev['by_audience'])}"
        text += "。"
        if ev["by_theme"]:
            text += f"围绕主要内容，{_listing(ev['by_theme'])}。"
    w.p(text)
    if _has(t, "public_offline") or _has(t, "public_online"):
        w.h2("群众参与情况")
        w.p(
            f"线下活动群众参与{t.get('public_offline', '0')}人次，线上活动群众参与{t.get('public_online', '0')}人次。"
        )
    funds = [(c, label) for c, label in FUNDS if c in rows]
    if funds:
        total = sum((Decimal(t.get(c, "0")) for c, _ in funds), Decimal(0))
        w.h2("经费投入情况")
        w.p(
            f"活动经费投入合计{num(total)}万元，其中"
            + "，".join(f"{label}{t.get(c, '0')}万元" for c, label in funds)
            + "。"
        )
    staff = [(c, label, u) for c, label, u in STAFF if c in rows]
    if staff:
        w.h2("人员参与情况")
        w.p("参与活动的" + "，".join(f"{label}{t.get(c, '0')}{u}" for c, label, u in staff) + "。")
    opened = [(c, label, u) for c, label, u in OPENED if c in rows]
    if opened:
        w.h2("场馆和机构开放情况")
        w.p("活动周期间，开放" + "、".join(f"{label}{t.get(c, '0')}{u}" for c, label, u in opened) + "。")
    if _has(t, "media_outlets") or _has(t, "media_reports") or "media_reports" in rows:
        w.h2("宣传报道情况")
        w.p(
            f"共有{t.get('media_outlets', '0')}家媒体参与宣传报道，刊发（播出）报道{t.get('media_reports', '0')}篇。"
        )
    others = [r for code, r in rows.items() if code not in NARRATED]
    if others:
        w.h2("其他统计数据")
        w.p("；".join(f"{r['label']}{t.get(r['code'], '0')}{r['unit']}" for r in others) + "。")
    if f["sections"] or f["highlights"]:
        w.h1("特色亮点")
        for s in f["sections"]:
            w.h2(s["title"])
            for para in s["paragraphs"]:
                w.p(para)
        if f["highlights"]:
            w.h2("参与人数较多的活动")
            for i, h in enumerate(f["highlights"], 1):
                reach = []
                if h["offline"]:
                    reach.append(f"线下参与{h['offline']}人次")
                if h["online"]:
                    reach.append(f"线上参与{h['online']}人次")
                w.p(f"{i}.{h['title']}。{h['unit']}于{h['date']}举办，{'，'.join(reach)}。")
    rep = f["reporting"]
    w.h1("存在的问题")
    text = f"应报送统计表的单位{rep['expected']}个，已报送{rep['submitted']}个，审核通过{rep['approved']}个。"
    if rep["missing"]:
        text += f"{'、'.join(rep['missing'][:30])}{'等' if len(rep['missing']) > 30 else ''}{len(rep['missing'])}个单位尚未报送。"
    if rep["late"]:
        text += f"{'、'.join(rep['late'][:30])}逾期报送。"
    if not rep["missing"] and not rep["late"]:
        text += "各单位均按时报送。"
    w.p(text)
    w.p("部分单位活动形式较为单一，线上活动的覆盖面仍有提升空间。")
    last = f["last_year"]
    if last:
        w.h1("与上年对比")
        parts = []
        for code in ("events_held", "public_offline", "public_online", "media_reports"):
            if code in rows and code in last:
                now, before = Decimal(t.get(code, "0")), Decimal(last[code])
                change = "持平" if now == before else ("增长" if now > before else "下降")
                pct = f"{abs(now - before) * 100 / before:.1f}%" if before else ""
                parts.append(
                    f"{rows[code]['label']}{t.get(code, '0')}{rows[code]['unit']}，上年{last[code]}{rows[code]['unit']}，"
                    + (f"{change}{pct}" if change != "持平" else "持平")
                )
        w.p(f"与{f['year'] - 1}年相比：" + "；".join(parts) + "。" if parts else "")
    w.h1("下一步工作")
    w.p("下一步，我们将认真总结经验，推动科普工作常态化开展，不断提升公众科学素质。")
    return w.blocks


def default_title(f: dict[str, Any]) -> str:
    return f"{f['node_name']}{f['year']}年科技活动周工作总结"
