"""The leading group (领导小组) of an implementation plan.

    成立XX县2025年科技活动周领导小组：
    组  长：李  华  县人民政府副县长
    副组长：赵  强  县科技局局长
            孙  丽  县科协主席
    成  员：县委宣传部、县教体局…分管负责同志
    领导小组办公室设在县科技局，办公室主任由赵强同志兼任。

Role labels may be spaced out ("组  长"); a line without a label continues the previous role.
A member is "name position" or "position name"; a line of units becomes one member per unit.
"""

from __future__ import annotations

import re

from sciweek.orgs.names import looks_like_org, split_units

from .draft import GroupMember, LeadingGroup

_ROLE = re.compile(
    r"^(?P<role>组\s*长|副\s*组\s*长|成\s*员|办公室主任|办公室副主任|秘\s*书\s*长)\s*[：:]\s*(?P<rest>.*)$"
)
_GROUP_NAME = re.compile(r"成立(?P<name>[^，,。；;：:\n]{2,40}?领导小组)")
_OFFICE = re.compile(r"领导小组办公室设在(?P<office>[^，,。；;\n]{2,30})")
_POSITION_WORD = re.compile(
    r"(?:长|主任|书记|主席|委员|理事|部长|局长|县长|市长|区长|经理|负责同志|负责人|专员|馆长|校长)$"
)
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _member(role: str, text: str) -> list[GroupMember]:
    text = re.sub(r"[。；;，,]$", "", text.strip())
    if not text:
        return []
    tokens = [t for t in re.split(r"\s{2,}|\t|[，,]\s*", text) if t]
    if len(tokens) == 1 and " " in text:
        tokens = text.split(" ")
    # "李  华" written with a spacer between the two characters of a name
    if len(tokens) >= 2 and len(tokens[0]) == 1 and len(tokens[1]) == 1:
        tokens = [tokens[0] + tokens[1], *tokens[2:]]
    names = [t for t in tokens if _NAME.match(t) and not _POSITION_WORD.search(t) and not looks_like_org(t)]
    if names:
        name = names[0]
        position = " ".join(t for t in tokens if t != name) or None
        return [GroupMember(role, name, position)]
    glued = re.match(r"^(?P<position>.+?(?:长|主任|书记|主席|委员))(?P<name>[\u4e00-\u9fff]{2,3})$", text)
    if glued and not _POSITION_WORD.search(glued.group("name")):
        return [GroupMember(role, glued.group("name"), glued.group("position"))]
    units, _ = split_units(re.sub(r"(?:分管|主要)?(?:负责同志|负责人|同志)$", "", text))
    if len(units) > 1 and all(looks_like_org(u) for u in units):
        return [GroupMember(role, None, unit) for unit in units]
    return [GroupMember(role, None, text)]


def find_leading_group(text: str) -> LeadingGroup | None:
    lines = text.splitlines()
    group = LeadingGroup()
    role: str | None = None
    source: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        name = _GROUP_NAME.search(line)
        if name and group.name is None:
            group.name = re.sub(r"^(?:由\S+组成的)", "", name.group("name"))
            source.append(line)
        office = _OFFICE.search(line)
        if office:
            group.office = office.group("office")
            source.append(line)
        m = _ROLE.match(line)
        if m:
            role = re.sub(r"\s+", "", m.group("role"))
            group.members += _member(role, m.group("rest"))
            source.append(line)
            continue
        if role and raw[:1] in (" ", "\t") and len(line) <= 40 and not re.search(r"[。]", line[:-1]):
            group.members += _member(role, line)  # an indented continuation of the same role
            source.append(line)
            continue
        role = None
    if not group.members and group.name is None:
        return None
    group.source = "\n".join(source)
    return group
