"""The statistics table (开展情况统计表) as plain data, and the parser for what people type into it.

Nothing here touches Django: the form definition stored in the database is converted to a
:class:`FormSpec`, and the exporters / importer under ``reports.excel`` only ever see a FormSpec.
``SIXIAN_2023_FORM`` is the table attached to the 2023 泗县 notice, row for row, in printed order.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

ValueType = Literal["int", "decimal"]

#: What the exporters write for "not applicable" and what the parser reads back as such.
NOT_APPLICABLE = "—"
NOT_APPLICABLE_TOKENS = frozenset(
    {"—", "——", "-", "--", "–", "―", "─", "/", "\\", "无", "不适用", "没有", "n/a", "na", "none", "null"}
)
#: Units of measure tolerated after a number in count rows ("35人", "12 次").
COUNT_UNITS = ("人次", "人", "次", "个", "家", "篇", "所", "场", "项", "名", "位", "处", "期", "批", "件")
#: More digits than this before the decimal point cannot be a real count (Excel keeps 15).
MAX_INTEGER_DIGITS = 15
MAX_RAW_LENGTH = 60


@dataclass(frozen=True, slots=True)
class RowSpec:
    code: str
    section: str
    label: str
    unit: str
    value_type: ValueType
    decimals: int = 0
    help: str = ""
    aliases: tuple[str, ...] = ()
    max_plausible: Decimal | None = None

    @property
    def label_with_unit(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


@dataclass(frozen=True, slots=True)
class FormSpec:
    title: str
    rows: tuple[RowSpec, ...]
    footnote: str = ""

    def __post_init__(self) -> None:
        codes = [r.code for r in self.rows]
        if len(set(codes)) != len(codes):
            raise ValueError("FormSpec: row codes must be unique")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.rows)

    def row(self, code: str) -> RowSpec:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)

    def blocks(self) -> Iterator[tuple[str, tuple[RowSpec, ...]]]:
        """Consecutive rows sharing a section, as printed: ("", (row,)) for rows without a section."""
        i = 0
        while i < len(self.rows):
            section = self.rows[i].section
            j = i + 1
            if section:
                while j < len(self.rows) and self.rows[j].section == section:
                    j += 1
            yield section, self.rows[i:j]
            i = j


@dataclass(frozen=True, slots=True)
class ParsedValue:
    value: Decimal | None
    not_applicable: bool = False
    error: str | None = None
    #: set when the value parsed but looks absurd for one unit (above ``RowSpec.max_plausible``)
    warning: str | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.not_applicable and self.error is None


def _r(
    code: str,
    section: str,
    label: str,
    unit: str,
    vtype: ValueType,
    help_: str,
    aliases: Iterable[str],
    max_plausible: int | None,
    decimals: int = 0,
) -> RowSpec:
    return RowSpec(
        code=code,
        section=section,
        label=label,
        unit=unit,
        value_type=vtype,
        decimals=decimals if vtype == "decimal" else 0,
        help=help_,
        aliases=tuple(aliases),
        max_plausible=Decimal(max_plausible) if max_plausible is not None else None,
    )


_FUND = "活动经费投入数量（单位：万元）"
_STAFF = "科普工作人员参与数量"
_PUBLIC = "科普活动群众参与数量"
_MEDIA = "宣传报道情况"

# fmt: off
SIXIAN_2023_FORM = FormSpec(
    title="2023年全县科技活动周开展情况统计表",
    footnote="注：此表请按通知要求填写表格于5月30日前报县科技局",
    rows=(
        _r("events_held", "科普活动开展次数", "举办活动次数", "次", "int",
           "活动周期间本单位举办的科普活动场次，线上线下合计。",
           ("活动次数", "举办次数", "开展活动次数", "举办科普活动次数", "活动开展次数"), 500),
        _r("fund_fiscal", _FUND, "县级(单位)财政经费投入情况", "万元", "decimal",
           "县级或本单位财政资金投入，单位万元，最多4位小数。",
           ("财政经费投入情况", "财政经费投入", "财政经费", "县级财政经费投入情况", "单位财政经费投入情况"),
           1000, 4),
        _r("fund_enterprise", _FUND, "企业赞助经费情况", "万元", "decimal",
           "企业赞助的现金，单位万元。",
           ("企业赞助经费", "企业赞助", "企业经费"), 1000, 4),
        _r("fund_in_kind", _FUND, "实物投入情况（如：捐赠图书、光盘、创新操作室等）", "万元", "decimal",
           "捐赠图书、光盘、创新操作室等实物折合金额，单位万元。",
           ("实物投入情况", "实物投入", "实物折价"), 1000, 4),
        _r("fund_other", _FUND, "其他经费情况", "万元", "decimal",
           "以上以外的其他经费，单位万元。",
           ("其他经费", "其它经费情况", "其它经费"), 1000, 4),
        _r("staff_fulltime", _STAFF, "科普专职人员数量", "人", "int",
           "参与活动的科普专职人员人数。",
           ("科普专职人员", "专职科普人员数量", "专职人员数量"), 2000),
        _r("staff_scientists", _STAFF, "科技工作者参与数量", "人", "int",
           "参与活动的科技工作者人数。",
           ("科技工作者数量", "科技工作者", "参与科技工作者数量"), 5000),
        _r("staff_volunteers", _STAFF, "招募科技志愿者数量", "人", "int",
           "为活动周招募的科技志愿者人数。",
           ("科技志愿者数量", "科技志愿者", "志愿者数量"), 10000),
        _r("staff_other", _STAFF, "其他人员数量", "人", "int",
           "以上以外参与组织工作的人员。",
           ("其他人员", "其它人员数量", "其它人员"), 10000),
        _r("public_offline", _PUBLIC, "线下活动群众参与数量", "人次", "int",
           "线下活动现场参与群众人次。",
           ("线下参与数量", "线下群众参与数量", "线下活动参与人次", "线下参与人次"), 200000),
        _r("public_online", _PUBLIC, "线上活动群众参与数量", "人次", "int",
           "直播、微视频等线上活动的观看或参与人次。",
           ("线上参与数量", "线上群众参与数量", "线上活动参与人次", "线上参与人次"), 5000000),
        _r("media_outlets", _MEDIA, "参与媒体数量", "家", "int",
           "参与报道的媒体家数。",
           ("媒体数量", "参与媒体", "参与报道媒体数量"), 200),
        _r("media_reports", _MEDIA, "宣传报道数量", "篇", "int",
           "各类媒体的宣传报道篇数（含新媒体）。",
           ("报道数量", "宣传报道篇数", "媒体报道数量"), 2000),
        _r("venues_opened", "", "活动周期间开放的科普场馆数量", "个", "int",
           "活动周期间向公众开放的科技馆、科普教育基地等场馆个数。",
           ("开放的科普场馆数量", "开放科普场馆数量", "科普场馆数量", "开放场馆数量", "科普场馆"), 200),
        _r("institutes_opened", "", "活动周期间开放活动的科研机构数量", "个", "int",
           "活动周期间举办开放活动的科研机构（科研院所）个数。",
           ("开放活动的科研机构数量", "开放科研机构数量", "科研机构数量", "开放的科研院所数量",
            "开放科研院所数量", "科研院所数量", "科研院所", "科研机构"), 100),
        _r("universities_opened", "", "活动周期间开放活动的大学数量", "所", "int",
           "活动周期间举办开放活动的高校所数。",
           ("开放活动的大学数量", "开放大学数量", "大学数量", "开放高校数量", "开放活动的高校数量",
            "高校数量", "高校", "大学"), 100),
    ),
)
# fmt: on


# ---------------------------------------------------------------------------------------------
# Parsing

_NUMBER_RE = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$")
_APPROX_RE = re.compile(r"约|余|多|左右|以上|近|超过|大概|≈|~")
_TRANSLATE = str.maketrans({"−": "-", "﹣": "-", "，": ",", "。": ".", "．": "."})


def _quote(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 30 else text[:30] + "…"


def _canonical(d: Decimal) -> Decimal:
    """12.50 -> 12.5, 100 -> 100 (never 1E+2)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def _count_decimals(d: Decimal) -> int:
    exponent = _canonical(d).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _strip_unit(text: str, row: RowSpec) -> tuple[str, str | None]:
    """Drop a trailing unit of measure; return (number text, error)."""
    units = [row.unit] if row.unit else []
    if row.value_type == "int":
        units += [u for u in COUNT_UNITS if u not in units]
    for unit in sorted(set(units), key=len, reverse=True):
        if unit and text.endswith(unit):
            return text[: -len(unit)], None
    if row.unit == "万元":
        if text.endswith("万"):
            return text[:-1], None
        if text.endswith("元"):
            return text, f"「{row.label}」的单位是万元，收到「{_quote(text)}」，请换算为万元后填写"
    return text, None


def parse_value(raw: object, row: RowSpec) -> ParsedValue:
    """Read one cell of the table. Never raises; problems come back as Chinese text in ``error``."""
    try:
        return _parse(raw, row)
    except (InvalidOperation, ValueError, OverflowError, TypeError, ArithmeticError):
        return ParsedValue(None, error=f"「{row.label}」无法识别为数字：{_quote(raw)}")


def _parse(raw: object, row: RowSpec) -> ParsedValue:
    label = row.label
    if raw is None:
        return ParsedValue(None)
    if isinstance(raw, ParsedValue):
        return raw
    if isinstance(raw, bool):
        return ParsedValue(None, error=f"「{label}」应填写数字，收到「{raw}」")
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return ParsedValue(None, error=f"「{label}」应填写数字，收到「{raw}」")
        if abs(raw) >= 10.0**MAX_INTEGER_DIGITS:
            return ParsedValue(None, error=f"「{label}」数值过大：{raw:g}")
        # Excel stores 0.1+0.2 as 0.30000000000000004; ten places is far below any real precision.
        return _check(round(Decimal(repr(raw)), 10), str(raw), row)
    if isinstance(raw, int):
        return _check(Decimal(raw), str(raw), row)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return ParsedValue(None, error=f"「{label}」应填写数字，收到「{raw}」")
        return _check(raw, str(raw), row)
    if not isinstance(raw, str):
        kind = "日期" if hasattr(raw, "year") else type(raw).__name__
        return ParsedValue(None, error=f"「{label}」应填写数字，收到{kind}「{_quote(raw)}」")

    text = unicodedata.normalize("NFKC", raw).translate(_TRANSLATE)
    text = "".join(text.split())
    if not text:
        return ParsedValue(None)
    if text.lower() in NOT_APPLICABLE_TOKENS or (len(text) > 1 and set(text) <= set("—-–―─")):
        return ParsedValue(None, not_applicable=True)
    if len(text) > MAX_RAW_LENGTH:
        return ParsedValue(None, error=f"「{label}」内容过长，应填写数字")
    number, unit_error = _strip_unit(text, row)
    if unit_error:
        return ParsedValue(None, error=unit_error)
    if _APPROX_RE.search(number) and re.search(r"\d", number):
        return ParsedValue(None, error=f"「{label}」请填写确切数字，收到「{_quote(raw.strip())}」")
    m = _NUMBER_RE.match(number)
    if not m or not (m.group(2) or m.group(3)):
        return ParsedValue(None, error=f"「{label}」应填写数字，收到「{_quote(raw.strip())}」")
    sign, whole, frac = m.group(1), m.group(2).replace(",", ""), m.group(3) or ""
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        return ParsedValue(None, error=f"「{label}」数值过大：{_quote(raw.strip())}")
    value = Decimal(f"{sign}{whole or '0'}.{frac or '0'}")
    return _check(value, raw.strip(), row)


def _check(value: Decimal, shown: str, row: RowSpec) -> ParsedValue:
    label = row.label
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return ParsedValue(None, error=f"「{label}」数值过大：{_quote(shown)}")
    if value < 0:
        return ParsedValue(None, error=f"「{label}」不能为负数，收到 {_quote(shown)}")
    value = _canonical(value + 0)  # + 0 turns -0 into 0
    if row.value_type == "int":
        if value != value.to_integral_value():
            return ParsedValue(None, error=f"「{label}」应为整数，收到 {_quote(shown)}")
    elif _count_decimals(value) > row.decimals:
        return ParsedValue(None, error=f"「{label}」最多保留{row.decimals}位小数，收到 {_quote(shown)}")
    warning = None
    if row.max_plausible is not None and value > row.max_plausible:
        warning = (
            f"「{label}」为 {format_value(value, row, grouping=True)}{row.unit}，"
            f"对一个单位来说明显偏大（通常不超过 {format_value(row.max_plausible, row, grouping=True)}），请核实"
        )
    return ParsedValue(value, warning=warning)


def format_value(
    value: Decimal | int | None | str | ParsedValue,
    row: RowSpec,
    *,
    grouping: bool = False,
    with_unit: bool = False,
) -> str:
    """Text for a value as people write it: "12.5", "1,234人", "—"; blank is ""."""
    if isinstance(value, ParsedValue):
        if value.not_applicable:
            return NOT_APPLICABLE
        value = value.value
    if value is None:
        return ""
    if isinstance(value, str):
        parsed = parse_value(value, row)
        if parsed.not_applicable:
            return NOT_APPLICABLE
        if parsed.error or parsed.value is None:
            return value
        value = parsed.value
    d = _canonical(Decimal(value))
    text = f"{d:,f}" if grouping else f"{d:f}"
    return f"{text}{row.unit}" if with_unit and row.unit else text


def coerce_values(
    spec: FormSpec, values: Mapping[str, Decimal | int | float | str | ParsedValue | None]
) -> dict[str, ParsedValue]:
    """Parse a {code: raw} mapping; unknown codes are ignored, missing codes come back blank."""
    return {row.code: parse_value(values.get(row.code), row) for row in spec.rows}


def sum_values(
    spec: FormSpec, units: Iterable[Mapping[str, Decimal | int | float | str | ParsedValue | None]]
) -> dict[str, Decimal | str | None]:
    """Column totals: the sum of the numbers; "—" when nobody had a number but someone said n/a."""
    totals: dict[str, Decimal] = {}
    na: set[str] = set()
    for values in units:
        for row in spec.rows:
            parsed = parse_value(values.get(row.code), row)
            if parsed.value is not None:
                totals[row.code] = totals.get(row.code, Decimal(0)) + parsed.value
            elif parsed.not_applicable:
                na.add(row.code)
    out: dict[str, Decimal | str | None] = {}
    for row in spec.rows:
        if row.code in totals:
            out[row.code] = _canonical(totals[row.code])
        else:
            out[row.code] = NOT_APPLICABLE if row.code in na else None
    return out
