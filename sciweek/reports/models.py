"""The statistics form as data. (Reports, review and roll-up build on these; see the reports issue.)

A FormDefinition belongs to a campaign and has a version: a form that has data is never changed
underneath it; a change makes a new version.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from sciweek.campaigns.models import Campaign

from .formspec import FormSpec, RowSpec


class FormDefinition(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forms")
    version = models.PositiveIntegerField("版本", default=1)
    title = models.CharField("表名", max_length=200)
    footnote = models.CharField("表注", max_length=300, blank=True)
    is_current = models.BooleanField("当前版本", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "-version"]
        constraints = [models.UniqueConstraint(fields=["campaign", "version"], name="unique_form_version")]
        verbose_name = "统计表"

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def to_spec(self) -> FormSpec:
        return FormSpec(title=self.title, footnote=self.footnote, rows=tuple(r.to_spec() for r in self.rows.all()))


class FormRow(models.Model):
    class ValueType(models.TextChoices):
        INT = "int", "整数"
        DECIMAL = "decimal", "小数"

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveIntegerField("顺序")
    code = models.SlugField("代码", max_length=40)
    section = models.CharField("栏目", max_length=100, blank=True)
    label = models.CharField("指标", max_length=200)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    value_type = models.CharField("数值类型", max_length=10, choices=ValueType.choices, default=ValueType.INT)
    decimals = models.PositiveSmallIntegerField("小数位数", default=0)
    help = models.CharField("填写说明", max_length=300, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    max_plausible = models.DecimalField("合理上限", max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["form", "order"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="unique_row_code")]

    def __str__(self) -> str:
        return self.label

    def to_spec(self) -> RowSpec:
        return RowSpec(
            code=self.code, section=self.section, label=self.label, unit=self.unit, value_type=self.value_type,
            decimals=self.decimals, help=self.help, aliases=tuple(self.aliases or ()),
            max_plausible=Decimal(self.max_plausible) if self.max_plausible is not None else None,
        )


def form_from_spec(*, campaign: Campaign, spec: FormSpec, version: int = 1) -> FormDefinition:
    form = FormDefinition.objects.create(campaign=campaign, version=version, title=spec.title,
                                         footnote=spec.footnote)
    FormRow.objects.bulk_create([
        FormRow(form=form, order=i, code=r.code, section=r.section, label=r.label, unit=r.unit,
                value_type=r.value_type, decimals=r.decimals, help=r.help, aliases=list(r.aliases),
                max_plausible=r.max_plausible)
        for i, r in enumerate(spec.rows, start=1)
    ])
    return form


class Report(models.Model):
    """One unit's statistics table and report package for one campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        HEAD_REVIEW = "head_review", "待单位负责人审核"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="reports")
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_late = models.BooleanField("逾期", default=False)
    return_reason = models.TextField("退回原因", blank=True)
    approved_at = models.DateTimeField("通过时间", null=True, blank=True)
    approved_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_report_per_unit")]
        verbose_name = "统计上报"

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.SUBMITTED, self.Status.HEAD_REVIEW)


class ReportValue(models.Model):
    """One cell: blank (no row), a value, or explicitly 不适用. A warning may be overridden with a note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    row_code = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    override_note = models.TextField("上报说明", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "row_code"], name="one_value_per_row")]
        indexes = [models.Index(fields=["row_code", "report"])]


class ReportRevision(models.Model):
    """Every submitted (or returned / approved / reopened) state of a report, to compare versions."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    status = models.CharField(max_length=16)
    values = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_revision_number")]


class ReportAttachment(models.Model):
    class Kind(models.TextChoices):
        SUMMARY = "summary", "活动总结"
        PHOTO = "photo", "活动照片"
        MEDIA = "media", "媒体报道资料"
        VIDEO = "video", "视频"
        STAMPED = "stamped", "盖章统计表"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    thumbnail = models.FileField(upload_to="reports/thumbs/%Y/", blank=True)
    link = models.URLField("链接", blank=True)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    content_kind = models.CharField(max_length=16, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
