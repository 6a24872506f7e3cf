"""Fixed lists: GB/T 4754-2017 industries, sizes, qualifications, technology fields, disciplines,
demand types and cooperation modes, the demand pipeline's statuses, kinds of service."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# GB/T 4754-2017 门类 → (name, first division, last division).
SECTIONS: dict[str, tuple[str, int, int]] = {
    "A": ("农、林、牧、渔业", 1, 5),
    "B": ("采矿业", 6, 12),
    "C": ("制造业", 13, 43),
    "D": ("电力、热力、燃气及水生产和供应业", 44, 46),
    "E": ("建筑业", 47, 50),
    "F": ("批发和零售业", 51, 52),
    "G": ("交通运输、仓储和邮政业", 53, 60),
    "H": ("住宿和餐饮业", 61, 62),
    "I": ("信息传输、软件和信息技术服务业", 63, 65),
    "J": ("金融业", 66, 69),
    "K": ("房地产业", 70, 70),
    "L": ("租赁和商务服务业", 71, 72),
    "M": ("科学研究和技术服务业", 73, 75),
    "N": ("水利、环境和公共设施管理业", 76, 79),
    "O": ("居民服务、修理和其他服务业", 80, 82),
    "P": ("教育", 83, 83),
    "Q": ("卫生和社会工作", 84, 85),
    "R": ("文化、体育和娱乐业", 86, 90),
    "S": ("公共管理、社会保障和社会组织", 91, 96),
    "T": ("国际组织", 97, 97),
}
# 大类 names for the sections a county's enterprises mostly fall in; others are accepted by number.
DIVISIONS: dict[str, str] = {
    "01": "农业", "02": "林业", "03": "畜牧业", "04": "渔业", "05": "农、林、牧、渔专业及辅助性活动",
    "13": "农副食品加工业", "14": "食品制造业", "15": "酒、饮料和精制茶制造业", "16": "烟草制品业",
    "17": "纺织业", "18": "纺织服装、服饰业", "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业", "21": "家具制造业", "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业", "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业", "26": "化学原料和化学制品制造业", "27": "医药制造业",
    "28": "化学纤维制造业", "29": "橡胶和塑料制品业", "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业", "32": "有色金属冶炼和压延加工业", "33": "金属制品业",
    "34": "通用设备制造业", "35": "专用设备制造业", "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业", "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业", "40": "仪器仪表制造业", "41": "其他制造业",
    "42": "废弃资源综合利用业", "43": "金属制品、机械和设备修理业",
    "44": "电力、热力生产和供应业", "45": "燃气生产和供应业", "46": "水的生产和供应业",
    "47": "房屋建筑业", "48": "土木工程建筑业", "49": "建筑安装业", "50": "建筑装饰、装修和其他建筑业",
    "51": "批发业", "52": "零售业", "63": "电信、广播电视和卫星传输服务", "64": "互联网和相关服务",
    "65": "软件和信息技术服务业", "73": "研究和试验发展", "74": "专业技术服务业", "75": "科技推广和应用服务业",
}  # fmt: skip

SECTION_CHOICES = [(k, f"{k} {v[0]}") for k, v in SECTIONS.items()]
DIVISION_CHOICES = [(k, f"{k} {v}") for k, v in DIVISIONS.items()]


def section_of_division(division: str) -> str | None:
    if not (division.isdigit() and len(division) == 2):
        return None
    n = int(division)
    return next((k for k, (_, lo, hi) in SECTIONS.items() if lo <= n <= hi), None)


class Size(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


QUALIFICATIONS = ["高新技术企业", "科技型中小企业", "专精特新", "专精特新“小巨人”", "创新型中小企业"]


class Field(models.TextChoices):
    """Technology fields a demand belongs to and an expert serves (a local list)."""

    CROPS = "crops", _("种植业与植物保护")
    LIVESTOCK = "livestock", _("畜牧兽医与水产")
    AGRI_MACHINERY = "agri_machinery", _("农业机械与设施农业")
    FOOD = "food", _("农产品与食品加工")
    MACHINERY = "machinery", _("机械制造与自动化")
    ELECTRONICS = "electronics", _("电子信息与软件")
    MATERIALS = "materials", _("新材料与化工")
    MEDICINE = "medicine", _("生物医药与医疗器械")
    ENERGY = "energy", _("节能环保与新能源")
    TEXTILE = "textile", _("纺织服装与轻工")
    CONSTRUCTION = "construction", _("建筑建材")
    OTHER = "other", _("其他")


# Disciplines (GB/T 13745 first-level names, local wording) → the field they serve.
DISCIPLINES: dict[str, str] = {
    "植物保护": Field.CROPS, "作物学": Field.CROPS, "园艺学": Field.CROPS, "农学": Field.CROPS,
    "土壤学": Field.CROPS, "林学": Field.CROPS, "畜牧学": Field.LIVESTOCK, "兽医学": Field.LIVESTOCK,
    "水产学": Field.LIVESTOCK, "农业工程": Field.AGRI_MACHINERY, "食品科学技术": Field.FOOD,
    "机械工程": Field.MACHINERY, "控制科学与工程": Field.MACHINERY, "电子与通信技术": Field.ELECTRONICS,
    "计算机科学技术": Field.ELECTRONICS, "材料科学": Field.MATERIALS, "化学工程": Field.MATERIALS,
    "药学": Field.MEDICINE, "生物学": Field.MEDICINE, "基础医学": Field.MEDICINE,
    "环境科学技术": Field.ENERGY, "能源科学技术": Field.ENERGY, "纺织科学技术": Field.TEXTILE,
    "土木建筑工程": Field.CONSTRUCTION,
}  # fmt: skip


def field_of_discipline(discipline: str) -> str:
    return DISCIPLINES.get((discipline or "").strip(), "")


class OrgKind(models.TextChoices):
    UNIVERSITY = "university", _("高等院校")
    INSTITUTE = "institute", _("科研院所")
    ENTERPRISE = "enterprise", _("企业")
    PUBLIC = "public", _("事业单位")
    ORGAN = "organ", _("党政机关")


class DemandType(models.TextChoices):
    RESEARCH = "research", _("技术攻关")
    ADOPTION = "adoption", _("成果引进")
    TALENT = "talent", _("人才团队")
    TESTING = "testing", _("检测")
    EQUIPMENT = "equipment", _("设备")
    PROCESS = "process", _("工艺")


class CoopMode(models.TextChoices):
    COMMISSIONED = "commissioned", _("委托开发")
    JOINT = "joint", _("合作开发")
    TRANSFER = "transfer", _("技术转让")
    LICENSE = "license", _("许可")
    EQUITY = "equity", _("技术入股")
    TALENT = "talent", _("人才引进")
    PLATFORM = "platform", _("共建平台")


class Status(models.TextChoices):
    COLLECTED = "collected", _("征集")
    REVIEWED = "reviewed", _("审核")
    MATCHING = "matching", _("匹配")
    DIAGNOSIS = "diagnosis", _("上门诊断")
    CONNECTING = "connecting", _("对接")
    SIGNED = "signed", _("签约")
    TRACKING = "tracking", _("跟踪")
    SOLVED = "solved", _("解决")
    CLOSED = "closed", _("关闭")


class LogKind(models.TextChoices):
    TRAINING = "training", _("培训")
    ONSITE = "onsite", _("现场指导")
    PROMOTION = "promotion", _("新品种/新技术推广")
    ONLINE = "online", _("线上服务")


class PlaceKind(models.TextChoices):
    VILLAGE = "village", _("村")
    COOPERATIVE = "cooperative", _("合作社")
    ENTERPRISE = "enterprise", _("企业")


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class ApplicationStatus(models.TextChoices):
    PREPARING = "preparing", _("指导申报中")
    SUBMITTED = "submitted", _("已申报")
    APPROVED = "approved", _("已立项")
    REJECTED = "rejected", _("未立项")
