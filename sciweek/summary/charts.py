"""The summary's charts as PNG images (matplotlib, Agg, with a CJK font: Noto Sans CJK from
fonts-noto-cjk when installed). Each chart is drawn from the draft's stored figures only."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib
from django.core.cache import cache

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .drafting import FUNDS  # noqa: E402

CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
_lock = threading.Lock()
_family: list[str] = []
COLOR = "#2f6fb0"
CACHE_SECONDS = 24 * 3600


def _font_family() -> str:
    with _lock:
        if not _family:
            name = "sans-serif"
            for path in CJK_CANDIDATES:
                if Path(path).exists():
                    font_manager.fontManager.addfont(path)
                    name = font_manager.FontProperties(fname=path).get_name()
                    break
            _family.append(name)
        return _family[0]


def _bar(title: str, data: dict[str, float], unit: str) -> bytes | None:
    if not data:
        return None
    fig = Figure(figsize=(6.2, 3.4), dpi=130)
    ax = fig.subplots()
    family = _font_family()
    labels, values = list(data), list(data.values())
    bars = ax.barh(labels[::-1], values[::-1], color=COLOR)
    ax.bar_label(bars, labels=[f"{v:g}" for v in values[::-1]], padding=3, fontsize=9, family=family)
    ax.set_title(f"{title}（{unit}）", family=family, fontsize=12)
    for label in ax.get_yticklabels():
        label.set_family(family)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.15)
    # Room for the longest label, reckoned from its length (tight_layout would draw the figure twice).
    widest = max(len(str(label)) for label in labels)
    fig.subplots_adjust(left=min(0.5, 0.05 + 0.024 * widest), right=0.96, top=0.88, bottom=0.09)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _n(value: Any) -> float:
    return float(Decimal(str(value or "0")))


def _funds(f: dict[str, Any]) -> dict[str, float]:
    rows = {r["code"] for r in f["rows"]}
    return {label: _n(f["totals"].get(code)) for code, label in FUNDS if code in rows}


def _participation(f: dict[str, Any]) -> dict[str, float]:
    t = f["totals"]
    return {"线下参与": _n(t.get("public_offline")), "线上参与": _n(t.get("public_online"))}


def _yoy(f: dict[str, Any]) -> dict[str, float]:
    last = f.get("last_year") or {}
    if not last:
        return {}
    t = f["totals"]
    return {f"{f['year'] - 1}年": _n(last.get("events_held")), f"{f['year']}年": _n(t.get("events_held"))}


ChartSpec = tuple[str, str, Callable[[dict[str, Any]], dict[str, float]]]
CHARTS: dict[str, ChartSpec] = {
    "mode": ("活动形式", "场", lambda f: f["events"]["by_mode"]),
    "category": ("活动类别", "场", lambda f: dict(list(f["events"]["by_category"].items())[:10])),
    "audience": ("面向对象", "场", lambda f: f["events"]["by_audience"]),
    "theme": ("主要内容", "场", lambda f: f["events"]["by_theme"]),
    "participation": ("群众参与", "人次", _participation),
    "funds": ("经费来源", "万元", _funds),
    "yoy": ("举办活动次数与上年对比", "次", _yoy),
}


def available(f: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, title) of the charts this draft has data for."""
    return [(key, title) for key, (title, _u, pick) in CHARTS.items() if any(pick(f).values())]


def render(key: str, f: dict[str, Any]) -> bytes | None:
    """The chart's PNG, kept in the cache by its data: the editor shows it, the document reuses it."""
    title, unit, pick = CHARTS[key]
    data = {k: float(v) for k, v in pick(f).items()}
    digest = hashlib.sha256(json.dumps([key, title, unit, data], ensure_ascii=False).encode()).hexdigest()
    cache_key = f"summary:chart:{digest}"
    png = cache.get(cache_key)
    if png is None:
        png = _bar(title, data, unit) or b""
        cache.set(cache_key, png, CACHE_SECONDS)
    return png or None
