"""Publicity content units send before the week (notice 五.1): text, images, staff to print on boards."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit


class PublicitySubmission(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="publicity")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="publicity")
    headline = models.CharField("展板标题", max_length=100)
    body = models.TextField("宣传内容")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_publicity_per_unit")]
        verbose_name = "宣传内容"

    def __str__(self) -> str:
        return f"{self.unit} · {self.headline}"
