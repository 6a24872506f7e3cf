"""Enterprises, experts / 科技特派员 and partner organisations; technology demands and their matches;
visits, commissioners' service logs, project applications (通知四.2 and 四.5).

Scope follows the unit tree: an enterprise and everything recorded about it hangs on its town or
development zone (`unit`), so a town sees its own and the bureau over the county sees all. Experts and
partner organisations belong to a region (the county whose bureau keeps the registry).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.orgs.models import OrgUnit

from .choices import (
    ApplicationStatus,
    CoopMode,
    DemandType,
    Field,
    LogKind,
    OrgKind,
    PlaceKind,
    ProgrammeLevel,
    Size,
    Status,
)

User = settings.AUTH_USER_MODEL


class Stamped(models.Model):
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PartnerOrg(Stamped):
    """A university or institute the county works with (产学研对接)."""

    region = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices, default=OrgKind.UNIVERSITY)
    disciplines = models.CharField(_("优势学科"), max_length=300, blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    search_text = models.TextField(default="", editable=False)  # jieba tokens, space-separated

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="innovation_partner_name")]

    def __str__(self) -> str:
        return self.name


class Expert(Stamped):
    """An expert; `is_commissioner` makes them a 科技特派员 (never staff of a party / government organ)."""

    region = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    organization = models.CharField(_("工作单位"), max_length=100)
    org_kind = models.CharField(_("单位性质"), max_length=16, choices=OrgKind.choices, blank=True)
    partner = models.ForeignKey(
        PartnerOrg, null=True, blank=True, on_delete=models.SET_NULL, related_name="experts"
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    discipline = models.CharField(_("学科"), max_length=50)
    field = models.CharField(_("服务领域"), max_length=20, choices=Field.choices, blank=True)
    keywords = models.JSONField(_("专长关键词"), default=list, blank=True)
    is_commissioner = models.BooleanField(_("科技特派员"), default=False)
    service_towns = models.ManyToManyField(OrgUnit, blank=True, related_name="+", verbose_name=_("服务镇"))
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="expert")
    is_active = models.BooleanField(default=True)
    search_text = models.TextField(default="", editable=False)

    class Meta:
        indexes = [models.Index(fields=["region", "is_active"], name="innovation_expert_region")]

    def __str__(self) -> str:
        return self.name


class Enterprise(Stamped):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在镇/园区")
    )
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    section = models.CharField(_("行业门类"), max_length=1, blank=True)
    division = models.CharField(_("行业大类"), max_length=2, blank=True)
    size = models.CharField(_("企业规模"), max_length=8, choices=Size.choices, blank=True)
    qualifications = models.JSONField(_("资质"), default=list, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    main_products = models.CharField(_("主要产品"), max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class EnterpriseContact(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Demand(Stamped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="demands")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+"
    )  # the enterprise's, for scope
    title = models.CharField(_("需求名称"), max_length=100)
    field = models.CharField(_("技术领域"), max_length=20, choices=Field.choices)
    demand_type = models.CharField(_("需求类型"), max_length=16, choices=DemandType.choices, blank=True)
    description = models.TextField(_("现状与问题"))
    targets = models.TextField(_("量化目标指标"), blank=True)
    benchmark = models.CharField(_("对标水平"), max_length=200, blank=True)
    coop_mode = models.CharField(_("合作方式"), max_length=16, choices=CoopMode.choices, blank=True)
    budget = models.DecimalField(_("预算（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    wanted_by = models.DateField(_("期望完成时间"), null=True, blank=True)
    is_secret = models.BooleanField(_("涉密"), default=False)
    is_published = models.BooleanField(_("已发布"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.COLLECTED)
    contract_amount = models.DecimalField(
        _("合同金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    contract_number = models.CharField(_("技术合同登记编号"), max_length=40, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(default="", editable=False)

    class Meta:
        indexes = [models.Index(fields=["unit", "status"], name="innovation_demand_unit")]

    def __str__(self) -> str:
        return self.title


class DemandChange(models.Model):
    """The demand's status history as its page shows it (the audit log keeps every field too)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.CharField(max_length=300, blank=True)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"

    @property
    def from_label(self) -> str:
        return str(Status(self.from_status).label) if self.from_status in Status.values else ""

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status


class Match(models.Model):
    """A match the organizer confirmed (suggestions are computed, never stored)."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("专家")
        ORGANIZATION = "organization", _("合作机构")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    partner = models.ForeignKey(
        PartnerOrg, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    confirmed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "expert"], name="innovation_match_expert"),
            models.UniqueConstraint(fields=["demand", "partner"], name="innovation_match_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.target}"

    @property
    def target(self) -> Expert | PartnerOrg | None:
        return self.expert or self.partner


class Visit(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访人员"), max_length=200)
    findings = models.TextField(_("发现的情况"), blank=True)
    demands_raised = models.TextField(_("提出的需求"), blank=True)
    contact_confirmed = models.BooleanField(_("企业联系人已确认"), default=False)
    confirmed_by_name = models.CharField(_("确认人"), max_length=50, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"走访{self.enterprise}（{self.date}）"


class ServiceLog(models.Model):
    """送技下乡: one commissioner's service on one day. `event_id` ties it to an event of the week that
    already counts the activity, so the statistics count it once."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="logs")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("服务镇"))
    date = models.DateField(_("服务日期"))
    place_kind = models.CharField(_("地点类型"), max_length=16, choices=PlaceKind.choices)
    place = models.CharField(_("地点"), max_length=100)
    kind = models.CharField(_("服务方式"), max_length=16, choices=LogKind.choices)
    people_served = models.PositiveIntegerField(_("服务人数"), default=0)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1, default=0)
    topics = models.CharField(_("服务内容"), max_length=300)
    event_id = models.PositiveBigIntegerField(_("关联活动编号"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"], name="innovation_log_unit_date")]

    def __str__(self) -> str:
        return f"{self.expert}·{self.date}·{self.place}"


class Photo(models.Model):
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    log = models.ForeignKey(
        ServiceLog, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200)
    original_name = models.CharField(max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)  # from EXIF when the photo has it
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ProjectApplication(Stamped):
    """科技计划项目申报 the town or bureau guided an enterprise through."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("计划项目"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=ProgrammeLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PREPARING
    )
    amount = models.DecimalField(
        _("支持金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    guided_by = models.CharField(_("指导人员"), max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.enterprise}·{self.programme}"
