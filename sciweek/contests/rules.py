"""Default rules of a contest, as data: categories and groups, stages, criteria, award tiers.

They follow the 全国青少年科技创新大赛 rules as revised in 2025 and are copied into each new contest,
where the organizer may change them (a local contest differs; the national rules change).
"""

from __future__ import annotations

import datetime as dt

from .models import SchoolStage, StageCode

PRIMARY_AREAS = ["物质科学", "生命科学", "地球与空间科学", "技术与设计", "行为与社会科学"]
SECONDARY_DISCIPLINES = [
    "数学",
    "计算机科学",
    "物理学",
    "地球与空间科学",
    "工程学",
    "动物学",
    "植物学",
    "微生物学",
    "医药与健康学",
    "化学",
    "生物化学",
    "环境科学",
    "行为与社会科学",
]
TUTOR_KINDS = ["科教制作类", "科教方案类"]

PROJECT_CRITERIA = [["创新性", 30], ["科学性", 25], ["实用性", 25], ["表达与答辩", 20]]
PAINTING_CRITERIA = [["想象力", 50], ["科学性", 25], ["绘画水平", 25]]
TUTOR_CRITERIA = [["创新性", 30], ["科学性", 25], ["实用性", 25], ["推广价值", 20]]

PROJECT_FILES = ["report", "form", "novelty"]

# (code, name, kind, group, school stages, disciplines, min age, max age, required files, criteria, quota)
CATEGORIES = [
    ("primary", "小学科技创新成果", "project", "小学", [SchoolStage.PRIMARY], PRIMARY_AREAS,
     None, None, ["report", "form"], PROJECT_CRITERIA, 3),
    ("junior", "初中科技创新成果", "project", "初中", [SchoolStage.JUNIOR], SECONDARY_DISCIPLINES,
     None, None, PROJECT_FILES, PROJECT_CRITERIA, 3),
    ("senior", "高中科技创新成果", "project", "高中", [SchoolStage.SENIOR], SECONDARY_DISCIPLINES,
     None, None, PROJECT_FILES, PROJECT_CRITERIA, 3),
    ("tutor", "科技辅导员科技教育创新成果", "tutor", "辅导员", [], TUTOR_KINDS,
     None, None, ["report", "form"], TUTOR_CRITERIA, 2),
    ("painting", "少年儿童科学幻想绘画", "painting", "科幻画",
     [SchoolStage.PRIMARY, SchoolStage.JUNIOR], [], 5, 14, ["image"], PAINTING_CRITERIA, 5),
]  # fmt: skip

STAGE_ORDER = list(StageCode)
# Days after the start of the week for each stage's (start, end), the portal showing names from 公示 on.
STAGE_OFFSETS = {
    StageCode.SIGNUP: (-40, -21),
    StageCode.QUALIFICATION: (-20, -16),
    StageCode.PRELIMINARY: (-15, -8),
    StageCode.FINAL: (-2, 0),
    StageCode.PUBLICITY: (1, 7),
    StageCode.ANNOUNCEMENT: (8, 9),
    StageCode.RECOMMENDATION: (10, 20),
}
PUBLIC_STAGES = {StageCode.PUBLICITY, StageCode.ANNOUNCEMENT, StageCode.RECOMMENDATION}

AWARD_TIERS = [["一等奖", 0.10], ["二等奖", 0.20], ["三等奖", 0.30], ["优秀奖", 0.20]]


def default_stage_dates(start: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    return {
        code: (start + dt.timedelta(days=a), start + dt.timedelta(days=b))
        for code, (a, b) in STAGE_OFFSETS.items()
    }


SCHOOL_STAGE_GRADES = {
    SchoolStage.PRIMARY: ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"],
    SchoolStage.JUNIOR: ["七年级", "八年级", "九年级"],
    SchoolStage.SENIOR: ["高一", "高二", "高三"],
}
