"""A year's Science and Technology Activity Week: the campaign, its main activities, requirements."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.core import clock
from sciweek.orgs.models import AREA_KINDS, OrgUnit

# Towns and streets first, then the development zone, departments, associations, media, others.
_KIND_ORDER = models.Case(
    *[
        models.When(kind=k, then=i)
        for i, k in enumerate(
            ["town", "devzone", "department", "association", "media", "volunteer", "school", "enterprise"]
        )
    ],
    default=99,
)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RUNNING = "running", _("进行中")
        REPORTING = "reporting", _("总结上报")
        CLOSED = "closed", _("已结束")

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("组织区域")
    )
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    issuers = models.ManyToManyField(
        OrgUnit, blank=True, related_name="issued_campaigns", verbose_name=_("主办单位")
    )
    issuer_text = models.CharField(_("落款"), max_length=300, blank=True)
    addressees = models.TextField(_("主送"), blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issue_date = models.DateField(_("发文日期"), null=True, blank=True)
    references = models.JSONField(_("依据文件"), default=list, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    theme = models.CharField(_("活动主题"), max_length=200)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    close_of_business = models.TimeField(
        _("下班时间"), default=dt.time(17, 30), help_text=_("通知中“下午下班前”按此时间计算")
    )
    max_video_minutes = models.PositiveIntegerField(_("视频时长上限（分钟）"), default=3)
    notice_text = models.TextField(_("通知全文"), blank=True)
    notice_file = models.FileField(_("通知原件"), upload_to="notices/%Y/", blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-start_date"]
        verbose_name = _("活动周")
        verbose_name_plural = _("活动周")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def participating_units(self) -> models.QuerySet[OrgUnit]:
        """Every non-area, non-group unit below the campaign's region."""
        return (
            OrgUnit.objects.filter(path__startswith=self.org_unit.path, is_active=True)
            .exclude(kind__in=[*AREA_KINDS, "group"])
            .order_by(_KIND_ORDER, "name")
        )

    def phase(self, today: dt.date | None = None) -> str:
        today = today or clock.localdate()
        if today < self.start_date:
            return "before"
        if today <= self.end_date:
            return "during"
        return "after"


class ContentTheme(models.Model):
    """主要内容 1–4: themes events are tagged with."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="content_themes")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MainActivity(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("活动名称"), max_length=200)
    lead_units = models.ManyToManyField(OrgUnit, related_name="led_activities", verbose_name=_("牵头单位"))
    cooperating_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="cooperating_activities", verbose_name=_("配合单位")
    )
    # Written forms kept as in the notice ("各镇（街道）", "县直各学会"), beside the matched units.
    lead_text = models.CharField(_("牵头单位（原文）"), max_length=500, blank=True)
    cooperating_text = models.TextField(_("配合单位（原文）"), blank=True)
    content = models.TextField(_("活动内容"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    schedule_note = models.CharField(_("时间地点说明"), max_length=200, blank=True, default="另行通知")
    # Which domain's records show under this activity (activity_panels.py): blank = decided from the
    # title / content, "none" = no panel, else a registered kind set by the organizer.
    panel_kind = models.CharField(_("专项数据"), max_length=32, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="unique_activity_number")]
        verbose_name = _("主要活动")
        verbose_name_plural = _("主要活动")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_scheduled(self) -> bool:
        return self.starts_at is not None and bool(self.venue)

    def involved_units(self) -> set[int]:
        return set(self.lead_units.values_list("pk", flat=True)) | set(
            self.cooperating_units.values_list("pk", flat=True)
        )


class Requirement(models.Model):
    """Something units must do by a deadline. Compliance is computed (see compliance.py), never typed."""

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("报送宣传内容及工作人员")
        MIN_EVENTS = "min_events", _("活动周期间开展专题活动")
        FINAL_REPORT = "final_report", _("报送总结及统计表")
        STAFF = "staff", _("确认联系人")
        NOMINATION = "nomination", _("推荐评选人选")  # a selection's nominating units (selections)
        OTHER = "other", _("其他")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("要求"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    due_at = models.DateTimeField(_("截止时间"))
    due_is_close_of_business = models.BooleanField(_("按下班时间截止"), default=False)
    applies_to = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="requirements",
        verbose_name=_("适用单位"),
        help_text=_("不选则适用于全部参与单位"),
    )
    min_count = models.PositiveIntegerField(_("最少次数"), null=True, blank=True)
    target_count = models.PositiveIntegerField(_("目标次数"), null=True, blank=True)
    lock_at_deadline = models.BooleanField(_("截止后锁定"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("要求与截止时间")
        verbose_name_plural = _("要求与截止时间")

    def __str__(self) -> str:
        return self.title

    def applies_to_unit(self, unit: OrgUnit) -> bool:
        ids = [u.pk for u in self.applies_to.all()]
        return not ids or unit.pk in ids


class NoticeImport(models.Model):
    """An uploaded (or pasted) notice waiting for review; becomes a campaign once, all or nothing."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审核")
        CREATED = "created", _("已创建活动周")
        DISCARDED = "discarded", _("已放弃")

    token = models.CharField(max_length=32, unique=True, editable=False)
    owner = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    region = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="notice_imports", verbose_name=_("组织区域")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(_("来源"), max_length=200, blank=True)
    source_kind = models.CharField(_("文件类型"), max_length=10, blank=True)  # docx / pdf / txt / paste
    source_text = models.TextField(_("通知全文"), blank=True)
    source_file = models.FileField(_("通知原件"), upload_to="notices/imports/", blank=True)
    close_of_business = models.TimeField(_("下班时间"), default=dt.time(17, 30))
    draft = models.JSONField(_("识别结果"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    campaign = models.OneToOneField(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="notice_import"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知导入")
        verbose_name_plural = _("通知导入")

    def __str__(self) -> str:
        return self.draft.get("title") or self.source_name or f"通知导入 {self.token[:6]}"
