"""Main activities (主要活动): title, lead and cooperating units, content, time and place.

Each numbered item under the activities heading is one activity. Inside it, labelled lines carry the
fields (牵头单位：/ 配合单位：/ 活动内容：/ 时间：/ 地点：), in any order, one per line or several on
one line; unlabelled lines are content. "（具体时间、地点另行通知）" after the title means the
schedule is to be announced.
"""

from __future__ import annotations

import re

from sciweek.orgs.names import looks_like_org, split_units

from .dates import cn_int, find_dates
from .draft import Activity
from .sections import Section
from .tables import TableFound

ACTIVITIES_HEADING = (
    r"^(?:主要活动|重点活动|活动安排|系列活动|具体活动|活动项目|活动内容及安排|主要活动安排|重点活动安排)"
)
_LEAD = r"牵头单位|牵头部门|主办单位|承办单位|责任单位|责任部门|负责单位|组织单位"
_COOP = r"配合单位|配合部门|协办单位|参与单位|参加单位|协助单位|支持单位"
_CONTENT = r"活动内容|主要内容|内容"
_TIME = r"活动时间|时间"
_PLACE = r"活动地点|地点"
_TIME_PLACE = r"时间地点|时间、地点|时间和地点"
_LABELS = "|".join((_TIME_PLACE, _LEAD, _COOP, _CONTENT, _TIME, _PLACE))
_LABEL = re.compile(rf"(?:^|(?<=[；;。\s]))({_LABELS})\s*[：:]")
_TBD = re.compile(r"另行通知|另行安排|另行确定|待定")
_TITLE_PAREN = re.compile(
    r"[（(]([^（）()]*(?:另行通知|另行安排|待定|时间|地点|\d+月\d+日)[^（）()]*)[）)]\s*[。.]?$"
)


def find_activities_section(root: Section) -> Section | None:
    """The heading over the main activities; failing that, any section whose items name 牵头单位."""
    for section in root.children:
        if re.search(ACTIVITIES_HEADING, section.title) and section.children:
            return section
    for section in root.walk():
        if section is root or not section.children:
            continue
        if sum(1 for c in section.children if re.search(rf"(?:{_LEAD})\s*[：:]", c.full_text())) >= 1:
            return section
    return None


def _fields(text: str) -> list[tuple[str | None, str]]:
    """Split an activity's text into (label, value) pieces; None for unlabelled text."""
    pieces: list[tuple[str | None, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        cuts = list(_LABEL.finditer(line))
        if not cuts:
            pieces.append((None, line))
            continue
        if cuts[0].start() > 0:
            pieces.append((None, line[: cuts[0].start()].strip()))
        for i, m in enumerate(cuts):
            end = cuts[i + 1].start() if i + 1 < len(cuts) else len(line)
            value = line[m.end() : end].strip().rstrip("；;")
            head, dot, rest = value.partition("。")
            if dot and rest.strip() and not re.fullmatch(_CONTENT, m.group(1)):
                # "配合单位：县科协。具体时间另行通知。": the list ends at the full stop
                pieces += [(m.group(1), head.strip()), (None, rest.strip())]
            else:
                pieces.append((m.group(1), value))
    return pieces


_KINDS = [
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("time_place", _TIME_PLACE),
        ("lead", _LEAD),
        ("coop", _COOP),
        ("content", _CONTENT),
        ("time", _TIME),
        ("place", _PLACE),
    )
]


def _kind(label: str | None) -> str | None:
    if label is None:
        return None
    return next((kind for kind, rx in _KINDS if rx.fullmatch(label)), None)


_PROSE_LEAD = re.compile(
    r"(?:由|请)?(?P<lead>[^，,。；;：:\n由]{2,60}?)(?:牵头|负责组织|负责|承办|主办)"
    r"(?:[，,、]\s*(?P<coop>[^，,。；;：:\n]{2,80}?)(?:配合|协办|协助|参与))?"
)
_PROSE_PLACE = re.compile(r"在(?P<place>[^，,。；;：:\n]{2,30}?)(?:隆重)?(?:举行|举办|开展|召开|进行)")


def _prose_units(text: str, coop_text: str) -> tuple[str, str]:
    """Lead and cooperating units written in a sentence rather than after labels."""
    for m in _PROSE_LEAD.finditer(text):
        lead = re.sub(r"^(?:由|请)", "", m.group("lead").strip())
        names, _ = split_units(lead)
        if names and all(looks_like_org(n) for n in names):
            coop = (m.group("coop") or "").strip()
            coop_names, _ = split_units(coop)
            if coop and coop_names and all(looks_like_org(n) for n in coop_names):
                coop_text = coop_text or coop
            return lead, coop_text
    return "", coop_text


def _prose_schedule(text: str) -> tuple[str, str]:
    """(time, place) from "5月20日在县科技馆举行": a date and a place in one clause."""
    for clause in re.split(r"[，,。；;\n]", text):
        m = _PROSE_PLACE.search(clause)
        if m and re.search(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]", clause[: m.start()]):
            return clause[: m.start()].strip(), m.group("place").strip()
    return "", ""


def parse_activity(item: Section, default_year: int | None) -> Activity:
    title = item.title.strip()
    content: list[str] = []
    schedule_parts: list[str] = []
    paren = _TITLE_PAREN.search(title)
    if paren:
        schedule_parts.append(paren.group(1).strip())
        title = title[: paren.start()].strip()
    rest = ""
    if re.search(r"[。；]", title.rstrip("。；")):  # "（一）科技成果展。5月20日在…": title, then content
        head = re.split(r"(?<=[。；])", title, maxsplit=1)[0]
        rest = title[len(head) :].strip()
        title = head
    title = re.sub(r"^(?:活动名称|名称)\s*[：:]", "", title).strip()
    found = _LABEL.search(title)
    if found and found.start() > 0:  # "科普集市 时间：5月18日 地点：…" (a flattened notice): labels follow
        rest = f"{title[found.start() :]}\n{rest}"
        title = title[: found.start()].strip()
    title = title.rstrip("。；;")
    lead_text = coop_text = ""
    time_text = place_text = ""
    for label, value in _fields(f"{rest}\n{item.body_text()}"):
        kind = _kind(label)
        if kind == "lead":
            lead_text = f"{lead_text}、{value}" if lead_text else value
        elif kind == "coop":
            coop_text = f"{coop_text}、{value}" if coop_text else value
        elif kind == "time":
            time_text = value
        elif kind == "place":
            place_text = value
        elif kind == "time_place":
            time_text = value
        else:
            content.append(value)
    if not lead_text:  # "由县科协牵头，县教育局、县科技局配合"
        lead_text, coop_text = _prose_units("\n".join([rest, *content]), coop_text)
    if not time_text and not place_text and not schedule_parts:  # "5月20日在县科技馆举行"
        time_text, place_text = _prose_schedule("\n".join([rest, *content]))
    lead_text, coop_text = lead_text.rstrip("。；;，, "), coop_text.rstrip("。；;，, ")
    lead, lead_etc = split_units(lead_text)
    coop, coop_etc = split_units(coop_text)
    if time_text:
        schedule_parts.append(f"时间：{time_text}" if place_text else time_text)
    if place_text:
        schedule_parts.append(f"地点：{place_text}")
    schedule = "；".join(p.rstrip("。；") for p in schedule_parts) or None
    if schedule and _TBD.search(schedule) and len(schedule) <= 20:
        schedule = "另行通知"
    announced = bool(schedule) and not _TBD.search(schedule or "")
    starts_at = None
    if announced:
        dates, _ = find_dates(time_text or schedule or "", default_year)
        starts_at = dates[0].value if dates else None
    return Activity(
        number=item.number,
        title=title,
        lead_units=lead,
        cooperating_units=coop,
        content="\n".join(c for c in content if c),
        schedule=schedule,
        schedule_announced=announced,
        starts_at=starts_at,
        venue=place_text.rstrip("。；") or None,
        lead_text=lead_text,
        cooperating_text=coop_text,
        lead_units_etc=lead_etc,
        cooperating_units_etc=coop_etc,
        source=item.header,
    )


_ROW_LABELS = {
    "lead": "牵头单位",
    "coop": "配合单位",
    "time": "时间",
    "place": "地点",
    "time_place": "时间地点",
}


def activity_from_row(row: dict[str, str], position: int, default_year: int | None) -> Activity:
    """A table row read as the same labelled lines a prose activity has, so both come out alike."""
    number = cn_int(row.get("number", "").rstrip(".、")) or position
    item = Section(number, "table", "", row.get("title", ""), 0)
    item.lines = [f"{_ROW_LABELS[k]}：{v}" for k, v in row.items() if k in _ROW_LABELS]
    if row.get("content"):
        item.lines.append(row["content"])
    activity = parse_activity(item, default_year)
    activity.source = "　".join(v for v in row.values() if v)
    return activity


def _key(title: str) -> str:
    return re.sub(r"[\s“”\"「」《》（）()，,。、]", "", title)


def _same_prose(by_title: dict[str, Activity], key: str) -> Activity | None:
    """The prose activity a table row repeats: the same title, or one title inside the other
    ("启动仪式" / "科技活动周启动仪式")."""
    if key in by_title:
        return by_title[key]
    if len(key) < 4:
        return None
    return next((a for k, a in by_title.items() if len(k) >= 4 and (k in key or key in k)), None)


def find_activities(
    root: Section, default_year: int | None, tables: list[TableFound] | None = None
) -> tuple[list[Activity], Section | None]:
    """Prose activities under the activities heading, then the rows of every activity table; a row
    that repeats a prose activity (same title) only fills what the prose left empty."""
    section = find_activities_section(root)
    found = [parse_activity(child, default_year) for child in section.children] if section else []
    by_title = {_key(a.title): a for a in found}
    for table in tables or []:
        rows = [row for row in table.rows if row.get("title")]
        for position, row in enumerate(rows, 1):
            activity = activity_from_row(row, position, default_year)
            same = _same_prose(by_title, _key(activity.title))  # a table may repeat its own titles
            if same is None:
                found.append(activity)
                continue
            for name in (
                "lead_units",
                "cooperating_units",
                "venue",
                "starts_at",
                "lead_text",
                "cooperating_text",
            ):
                if not getattr(same, name) and getattr(activity, name):
                    setattr(same, name, getattr(activity, name))
            if not same.schedule_announced and activity.schedule_announced:
                same.schedule, same.schedule_announced = activity.schedule, True
    return found, section
