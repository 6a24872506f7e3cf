"""The statistics form as data. (Reports, review and roll-up build on these; see the reports issue.)

A FormDefinition belongs to a campaign and has a version: a form that has data is never changed
underneath it; a change makes a new version.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from sciweek.campaigns.models import Campaign
from sciweek.core import clock

from .formspec import FormSpec, RowSpec


def default_required_attachments() -> list[str]:
    return ["summary", "stamped"]


class FormDefinition(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forms")
    version = models.PositiveIntegerField("版本", default=1)
    title = models.CharField("表名", max_length=200)
    footnote = models.CharField("表注", max_length=300, blank=True)
    is_current = models.BooleanField("当前版本", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    requires_head_approval = models.BooleanField(
        "需单位负责人审核",
        default=False,
        help_text="勾选后，单位提交的统计表须经本单位负责人审核通过才报送组织单位",
    )
    required_attachments = models.JSONField("必传附件", default=default_required_attachments, blank=True)
    # Bumped on every edit in the form editor, so two organizers editing at once do not overwrite each other.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["campaign", "-version"]
        constraints = [models.UniqueConstraint(fields=["campaign", "version"], name="unique_form_version")]
        verbose_name = "统计表"

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def to_spec(self) -> FormSpec:
        return FormSpec(
            title=self.title, footnote=self.footnote, rows=tuple(r.to_spec() for r in self.rows.all())
        )


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
    # Rules beyond max_plausible (a warning that a written 上报说明 may override): these are errors.
    min_value = models.DecimalField("最小值", max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(
        "最大值（硬上限）", max_digits=18, decimal_places=4, null=True, blank=True
    )
    required = models.BooleanField(
        "提交时必填", default=True, help_text="必填行提交时不能留空（可填 0 或选“不适用”）"
    )

    class Meta:
        ordering = ["form", "order"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="unique_row_code")]

    def __str__(self) -> str:
        return self.label

    def to_spec(self) -> RowSpec:
        return RowSpec(
            code=self.code,
            section=self.section,
            label=self.label,
            unit=self.unit,
            value_type=self.value_type,
            decimals=self.decimals,
            help=self.help,
            aliases=tuple(self.aliases or ()),
            max_plausible=Decimal(self.max_plausible) if self.max_plausible is not None else None,
        )


class FormRule(models.Model):
    """A cross-row check: the sum of the ``left_codes`` rows must not exceed the ``right_code`` row."""

    class Kind(models.TextChoices):
        SUM_LE = "sum_le", "A 之和 ≤ B"

    class Severity(models.TextChoices):
        ERROR = "error", "错误（不能提交）"
        WARNING = "warning", "提醒（填写上报说明后可提交）"

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField("规则类型", max_length=16, choices=Kind.choices, default=Kind.SUM_LE)
    left_codes = models.JSONField("A（一行或多行）", default=list)
    right_code = models.SlugField("B", max_length=40)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.WARNING)
    message = models.CharField("提示语", max_length=200, blank=True)

    class Meta:
        ordering = ["form", "id"]
        verbose_name = "校验规则"

    def __str__(self) -> str:
        return f"{'+'.join(self.left_codes)} ≤ {self.right_code}"


#: Cross-row checks the built-in 2023 form comes with (kept only when the form has both rows).
DEFAULT_RULES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        ("media_outlets",),
        "media_reports",
        FormRule.Severity.WARNING,
        "参与媒体一般至少各有一篇报道：参与媒体数量不应超过宣传报道数量",
    ),
)


def form_from_spec(*, campaign: Campaign, spec: FormSpec, version: int = 1) -> FormDefinition:
    form = FormDefinition.objects.create(
        campaign=campaign, version=version, title=spec.title, footnote=spec.footnote
    )
    FormRow.objects.bulk_create(
        [
            FormRow(
                form=form,
                order=i,
                code=r.code,
                section=r.section,
                label=r.label,
                unit=r.unit,
                value_type=r.value_type,
                decimals=r.decimals,
                help=r.help,
                aliases=list(r.aliases),
                max_plausible=r.max_plausible,
            )
            for i, r in enumerate(spec.rows, start=1)
        ]
    )
    codes = set(spec.codes)
    FormRule.objects.bulk_create(
        [
            FormRule(form=form, left_codes=list(left), right_code=right, severity=severity, message=message)
            for left, right, severity, message in DEFAULT_RULES
            if set(left) <= codes and right in codes
        ]
    )
    return form


class Report(models.Model):
    """One unit's statistics table and report package for one campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        HEAD_REVIEW = "head_review", "待单位负责人审核"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"

    # campaign_id is the leading column of one_report_per_unit: that index serves it.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports", db_index=False)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="reports")
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # The three "by" users are shown, never searched by; users are deactivated, not deleted, so
    # SET_NULL needs no index either (a user deleted in django-admin costs one scan).
    submitted_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    is_late = models.BooleanField("逾期", default=False)
    return_reason = models.TextField("退回原因", blank=True)
    approved_at = models.DateTimeField("通过时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Lateness is judged on the first submission: a resubmission after a return is not "late".
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The values once more as one text, written with them; the national roll-up reads this (totals.py).
    totals = models.TextField(blank=True, default="", editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_report_per_unit")]
        # Indexes, and the query each one is kept for:
        # - one_report_per_unit (campaign, unit): a unit's report, a campaign's reports (queue, dashboard,
        #   roll-up: campaign_id IN …, then status among few rows), CASCADE from the campaign;
        # - unit_id: the roll-up's "nearest campaign" EXISTS (a unit's reports in other campaigns), the
        #   join from units below a path, merge/CASCADE from the unit;
        # - form_id: the form editor's "reports on this form" and the PROTECT check.
        # Dropped: campaign_id (leads one_report_per_unit), status and its _like twin (no query filters
        # on status without the campaign; unindexed, a status change can also be a HOT update that adds
        # no index entries), submitted_by / approved_by / returned_by (above).
        verbose_name = "统计上报"

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.SUBMITTED, self.Status.HEAD_REVIEW)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


# Which reports a roll-up counts: approved only, or everything submitted (the live view).
APPROVED_STATUSES = (Report.Status.APPROVED,)
ALL_STATUSES = (Report.Status.SUBMITTED, Report.Status.APPROVED)


def counted_statuses(approved_only: bool) -> tuple[str, ...]:
    return tuple(APPROVED_STATUSES if approved_only else ALL_STATUSES)


class ReportValue(models.Model):
    """One cell: blank (no row), a value, or explicitly 不适用. A warning may be overridden with a note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values", db_index=False)
    row_code = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    override_note = models.TextField("上报说明", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "row_code"], name="one_value_per_row")]
        # one_value_per_row alone: the upsert's conflict target, a report's values (report_id leads it),
        # the join from reports, CASCADE. Dropped: report_id (leads the constraint) and (row_code,
        # report): every query reaches values through their reports, none by row code first.

    def __str__(self) -> str:
        return f"{self.row_code}={'不适用' if self.not_applicable else self.value}"


class ReportValueChange(models.Model):
    """One cell changed at one report version: answers "what changed since the version you loaded"."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="value_changes", db_index=False)
    version = models.PositiveIntegerField(help_text="the report's version after this change")
    row_code = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # Shown in the report's history, never searched by; users are deactivated, not deleted.
    by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # When it happened in the campaign: the demo clock's moment in demo mode (the audit keeps the real time).
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["report", "version", "id"]
        # (report, version) alone: "changed since the version you loaded" (version > n), the review
        # page's latest changes (read backwards), CASCADE. Dropped: report_id (leads it), by_id (above).
        indexes = [models.Index(fields=["report", "version"])]

    def __str__(self) -> str:
        return f"{self.row_code} @v{self.version}"


class ReportRevision(models.Model):
    """Every submitted (or returned / approved / reopened) state of a report, to compare versions."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions", db_index=False)
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=20)
    status = models.CharField(max_length=16)
    values = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    # Shown in the report's history, never searched by; users are deactivated, not deleted.
    by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # When it happened in the campaign: the demo clock's moment in demo mode (the audit keeps the real time).
    at = models.DateTimeField(default=clock.now, editable=False)
    report_version = models.PositiveIntegerField(default=0)
    attachments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_revision_number")]
        # unique_revision_number alone: a report's revisions in order, the next number (max), one
        # revision by number, CASCADE. Dropped: report_id (leads it), by_id (above).

    def __str__(self) -> str:
        return f"{self.report} #{self.number} {self.action}"


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
    uploaded_at = models.DateTimeField(default=clock.now, editable=False)  # campaign time, as `at` above
    title = models.CharField("标题", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.original_name or self.link


class ReportDeadlineException(models.Model):
    """The organizer lets one unit report after a deadline that locks (Requirement.lock_at_deadline)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_exceptions")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="report_exceptions")
    until = models.DateTimeField("补报截止")
    reason = models.CharField("原因", max_length=300)
    granted_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=clock.now, editable=False)  # campaign time, as `at` above

    class Meta:
        ordering = ["campaign", "unit", "-until"]
        verbose_name = "补报许可"

    def __str__(self) -> str:
        return f"{self.unit} 补报至 {self.until:%Y-%m-%d %H:%M}"
