"""The import template's columns and the Chinese unit-type labels, shared by the template builder and
the importer so that what we hand out is exactly what we read back."""

from __future__ import annotations

from dataclasses import dataclass

from .models import UnitKind, normalize_name


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    help: str
    synonyms: tuple[str, ...] = ()


COLUMNS: list[Column] = [
    Column(
        "parent",
        "上级单位",
        26,
        "留空表示本县（区）；也可填单位树中已有单位的名称、简称或别名，或本表前面行新建的单位。",
        ("上级", "所属上级", "上级单位名称"),
    ),
    Column(
        "name",
        "单位名称",
        30,
        "必填。单位全称，如“泗县气象局”。同一单位有多位联系人时，可占多行，单位名称写法保持一致。",
        ("名称", "单位全称"),
    ),
    Column("kind", "类型", 14, "新建单位必填，从下拉列表中选择；已有单位可留空。", ("单位类型",)),
    Column(
        "code",
        "单位代码",
        16,
        "选填。字母、数字、-、_，不超过32位；留空则自动编号。账号用户名即单位代码（小写）。",
        ("代码", "编码", "单位编码"),
    ),
    Column("short_name", "简称", 18, "选填。通知和报表中常用的写法，如“县气象局”。", ()),
    Column(
        "aliases",
        "别名",
        26,
        "选填。其他写法，多个用顿号“、”分隔，如“县林业局、县自然资源规划局”。",
        ("其他名称", "曾用名"),
    ),
    Column(
        "staff_name", "联系人姓名", 12, "选填。填写联系人时，手机号必填。", ("联系人", "姓名", "工作人员")
    ),
    Column("position", "职务", 14, "选填。", ("职位",)),
    Column(
        "mobile", "手机号", 16, "填写联系人时必填，11位手机号码。", ("手机", "手机号码", "联系电话", "电话")
    ),
    Column("email", "电子邮箱", 24, "选填。", ("邮箱", "email", "e-mail", "电子邮件")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# What the template's 类型 dropdown offers (a county organizer never imports a nation).
TEMPLATE_KINDS = [k for k in UnitKind if k != UnitKind.NATION]

# Other ways people write a unit type in a spreadsheet.
_KIND_SYNONYMS: dict[str, str] = {
    "镇": UnitKind.TOWN,
    "乡": UnitKind.TOWN,
    "乡镇": UnitKind.TOWN,
    "街道": UnitKind.TOWN,
    "镇街": UnitKind.TOWN,
    "开发区": UnitKind.DEVZONE,
    "园区": UnitKind.DEVZONE,
    "经开区": UnitKind.DEVZONE,
    "产业园": UnitKind.DEVZONE,
    "部门": UnitKind.DEPARTMENT,
    "县直部门": UnitKind.DEPARTMENT,
    "机关": UnitKind.DEPARTMENT,
    "事业单位": UnitKind.DEPARTMENT,
    "市直单位": UnitKind.DEPARTMENT,
    "区直单位": UnitKind.DEPARTMENT,
    "学会": UnitKind.ASSOCIATION,
    "协会": UnitKind.ASSOCIATION,
    "社会组织": UnitKind.ASSOCIATION,
    "分组": UnitKind.GROUP,
    "新闻媒体": UnitKind.MEDIA,
    "中小学": UnitKind.SCHOOL,
    "学院": UnitKind.SCHOOL,
    "公司": UnitKind.ENTERPRISE,
    "志愿者队伍": UnitKind.VOLUNTEER,
    "志愿队": UnitKind.VOLUNTEER,
    "县": UnitKind.COUNTY,
    "区": UnitKind.COUNTY,
    "县区": UnitKind.COUNTY,
}
KIND_BY_KEY: dict[str, str] = {normalize_name(str(k.label)): k.value for k in UnitKind}
KIND_BY_KEY.update({normalize_name(str(k.value)): k.value for k in UnitKind})
KIND_BY_KEY.update({normalize_name(text): kind for text, kind in _KIND_SYNONYMS.items()})


def kind_labels() -> list[str]:
    return [str(k.label) for k in TEMPLATE_KINDS]


def parse_kind(text: str) -> str | None:
    """The UnitKind value for a label such as 镇（街道） / 县直单位 / 学会, or None."""
    return KIND_BY_KEY.get(normalize_name(text or ""))


def header_key(text: str) -> str | None:
    """Which column a header cell names ("单位名称*", "手机号（必填）" … are accepted)."""
    cleaned = normalize_name(str(text or "")).replace("*", "").replace("＊", "")
    for suffix in ("(必填)", "(选填)", "(可选)"):
        cleaned = cleaned.replace(suffix, "")
    for column in COLUMNS:
        if cleaned in {normalize_name(column.label), *(normalize_name(s) for s in column.synonyms)}:
            return column.key
    return None


def split_aliases(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", "\n"):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]
