"""The org-unit tree (nation › province › city › county › unit), its people and memberships.

Materialized path (treebeard MP_Node): a subtree is `path LIKE 'xxxx%'`, one indexed query.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class UnitKind(models.TextChoices):
    NATION = "nation", _("国家")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWN = "town", _("镇（街道）")
    DEVZONE = "devzone", _("经济开发区")
    DEPARTMENT = "department", _("县直单位")
    ASSOCIATION = "association", _("学会/协会")
    GROUP = "group", _("单位分组")
    MEDIA = "media", _("媒体")
    SCHOOL = "school", _("学校")
    ENTERPRISE = "enterprise", _("企业")
    VOLUNTEER = "volunteer", _("志愿服务队")


AREA_KINDS = {UnitKind.NATION, UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY}


def normalize_name(name: str) -> str:
    """Key for matching unit names: no spaces, half-width brackets, lower case."""
    table = str.maketrans({"（": "(", "）": ")", "，": ",", "、": ",", "　": ""})
    return re.sub(r"\s+", "", name.translate(table)).lower()


class OrgUnit(MP_Node):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("演示用的示例单位，请导入真实名单后删除或合并")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1)

    # No node_order_by: a new unit is appended after its siblings, so existing paths never shift
    # (audit entries and roll-ups keyed by path stay right; imports don't rewrite every sibling).

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def is_area(self) -> bool:
        return self.kind in AREA_KINDS

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def subtree_q(self, prefix: str = "") -> models.Q:
        return models.Q(**{f"{prefix}path__startswith": self.path})

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)

    def ancestors_and_self(self) -> list[OrgUnit]:
        return [*self.get_ancestors(), self]


class OrgUnitAlias(models.Model):
    """Other names a unit goes by in notices: 县科技局 = 县科学技术局, 县林业局 …"""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("别名"), max_length=100)
    key = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="unique_alias_per_unit")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = normalize_name(self.name)
        super().save(*args, **kwargs)


class StaffContact(models.Model):
    """A unit's named contact staff (通知五.1: 工作人员姓名、手机号)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=20)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("联系人")

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("主办（组织单位）")
    CO_ORGANIZER = "co_organizer", _("协办单位")
    REVIEWER = "reviewer", _("审核员")
    VIEWER = "viewer", _("查看者")
    UNIT_REPORTER = "unit_reporter", _("单位填报员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    JUDGE = "judge", _("评委")


# One line per role for the role pickers (what the role lets its holder do).
ROLE_HELP = {
    Role.ORGANIZER: _("组织单位：管理本地区的活动周、单位与账号，审核活动和统计表"),
    Role.CO_ORGANIZER: _("协办单位：查看本地区全部情况，协助审核与组织活动"),
    Role.REVIEWER: _("审核员：审核本地区单位的活动和统计表"),
    Role.VIEWER: _("查看者：只读查看本地区的情况和汇总（如上级部门）"),
    Role.UNIT_REPORTER: _("单位填报员：登记本单位活动、报送宣传内容、填报统计表"),
    Role.UNIT_HEAD: _("单位负责人：审核本单位统计表后再报送组织单位"),
    Role.JUDGE: _("评委：为分配给自己的参赛项目评分"),
}
# Granted on a unit that is not an area (a department, a town), these give scope over that unit's
# subtree: almost always a slip for 单位填报员, so the pages ask to confirm.
AREA_ROLES_TO_CONFIRM = {Role.ORGANIZER, Role.CO_ORGANIZER}

# Roles whose scope is the whole subtree of their unit (a county bureau sees every unit below).
SUBTREE_ROLES = {Role.ORGANIZER, Role.CO_ORGANIZER, Role.REVIEWER, Role.VIEWER}
UNIT_ROLES = {Role.UNIT_REPORTER, Role.UNIT_HEAD}


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    # A co-organizer's own unit (县委宣传部 on the county node): they edit what that unit leads.
    acting_for = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("代表单位"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]
        verbose_name = _("成员资格")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({self.get_role_display()})"
