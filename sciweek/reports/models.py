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
