"""Lists of units as notices write them: "县科技局、县委宣传部、县科协等".

Names are kept as written, parentheses included (县自然资源规划局（林业局）, 各镇（街道）); a list is
split only on separators outside parentheses, and a trailing 等 / 等单位 marks the list as open.
"""

from __future__ import annotations

import re

_OPEN = "（(《“〔【["
_CLOSE = "）)》”〕】]"
_SEPARATORS = "、，,；;"
_ETC = re.compile(r"(?:等(?:有关|相关)?(?:单位|部门|成员单位|媒体)?)$")
ORG_SUFFIX = re.compile(
    r"(?:局|部|委|会|协|府|院|室|厅|处|办|所|站|队|团|联|校|馆|台|中心|基地|公司|学会|协会|集团|银行|园|区|街道|镇|乡"
    r"|单位|媒体|发布|学校|医院|总工会|团县委|团市委)(?:（[^）]*）|\([^)]*\))?$"
)


def split_top_level(text: str, separators: str = _SEPARATORS) -> list[str]:
    """Split on ``separators`` that are not inside any kind of bracket or quote."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth > 0:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def split_units(text: str) -> tuple[list[str], bool]:
    """'县融媒体中心、泗县发布、县科技局、县科协等。' -> (['县融媒体中心', '泗县发布', '县科技局', '县科协'], True)."""
    text = text.strip().rstrip("。.；;，,：: ")
    names: list[str] = []
    etc = False
    for part in split_top_level(text):
        part = part.strip(" \t“”\"'")
        stripped = _ETC.sub("", part).strip()
        if stripped != part:
            etc = True
        if stripped:
            names.append(stripped)
    return names, etc


def looks_like_org(name: str) -> bool:
    """A unit's name rather than a phrase: short, and ends like an organisation."""
    name = name.strip()
    return 2 <= len(name) <= 40 and not re.search(r"[。！？:：]", name) and bool(ORG_SUFFIX.search(name))


def split_signature_line(line: str) -> list[str]:
    """'泗县科学技术局      中共泗县县委宣传部' -> both names; single spaces split too when every part is an org."""
    parts = [p for p in re.split(r"\s{2,}|\t", line.strip()) if p]
    result: list[str] = []
    for part in parts:
        pieces = part.split()
        if len(pieces) > 1 and all(looks_like_org(p) for p in pieces):
            result.extend(pieces)
        else:
            result.append(part)
    return result


def is_abbreviation(short: str, full: str) -> bool:
    """'县科技局' abbreviates '泗县科学技术局': its characters appear in order in the full name."""
    if not short or len(short) >= len(full) + 1:
        return False
    position = 0
    for ch in short:
        position = full.find(ch, position)
        if position < 0:
            return False
        position += 1
    return short[-1] == full[-1] or short[-1] in full[-3:]


def pair_short_names(full_names: list[str], short_names: list[str]) -> dict[str, str]:
    """Match each full name to the body's short name that abbreviates it, in order of appearance."""
    pairs: dict[str, str] = {}
    unused = list(short_names)
    for full in full_names:
        for short in unused:
            if short == full or is_abbreviation(short, full):
                pairs[full] = short
                unused.remove(short)
                break
    return pairs
