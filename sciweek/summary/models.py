"""The generated 活动总结 (one editable draft per campaign and unit or region) and the send-up snapshots.

A ``SendUp`` is what a county (or city) officially reported to the campaign one level up: its content
is written once, when it is sent, and never changed afterwards (``save`` refuses); only the review
fields (status, reason, reviewer) move. A correction is a new SendUp with the next number.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit


class SummaryDraft(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="summary_drafts")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="summary_drafts")
    title = models.CharField(_("标题"), max_length=200)
    # [{"style": "h1"|"h2"|"h3"|"h4"|"p", "text": "..."}] in order
    blocks = models.JSONField(_("正文"), default=list)
    charts = models.JSONField(_("保留的图表"), default=list)  # chart keys (charts.CHARTS)
    photos = models.JSONField(_("保留的照片"), default=list)  # photo keys ("event:12", "report:5")
    signature = models.CharField(_("落款单位"), max_length=200, blank=True)
    sign_date = models.DateField(_("成文日期"), null=True, blank=True)
    profile = models.CharField(_("版式"), max_length=40, default="gbt9704")
    figures = models.JSONField(_("数据"), default=dict)  # what the draft was generated from
    version = models.PositiveIntegerField(default=1)
    edited = models.BooleanField(_("已人工修改"), default=False)
    # When the figures were gathered, in the campaign's time (the demo clock): set at every (re)generation.
    generated_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_summary_per_unit")]
        verbose_name = _("活动总结")

    def __str__(self) -> str:
        return self.title


class SendUp(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已通过")
        SUPERSEDED = "superseded", _("已被新版本替代")

    source = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sent_up")
    target = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="received")
    region = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="sent_up")
    number = models.PositiveIntegerField(_("版本"))
    # --- the snapshot: written once ---
    table = models.JSONField(_("统计数据"), default=dict)  # {target row code: "12.5"}
    mapping = models.JSONField(_("指标对应"), default=list)
    units = models.JSONField(_("单位及状态"), default=list)
    report_versions = models.JSONField(default=dict)  # {report id: version} when sent
    # [{"kind", "title", "unit", "sha256", "content_kind", "size", "link"}]: files by their copy in
    # SnapshotFile (older versions also carry the original "path", never used to serve)
    media = models.JSONField(_("照片视频"), default=list)
    summary_file = models.FileField(_("活动总结"), upload_to="sendup/%Y/", blank=True)
    note = models.TextField(_("报送说明"), blank=True)
    sent_at = models.DateTimeField(_("报送时间"))
    sent_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # --- the review: moves ---
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SENT)
    reason = models.TextField(_("退回原因"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    review_version = models.PositiveIntegerField(default=1)

    SNAPSHOT_FIELDS = ("table", "mapping", "units", "report_versions", "media", "summary_file", "note")

    class Meta:
        ordering = ["target", "region", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["target", "region", "number"], name="one_sendup_number")
        ]
        # (target, region, number): a target's queue and a region's versions; source: the county's list.
        verbose_name = _("上报")

    def __str__(self) -> str:
        return f"{self.region} → {self.target}（第{self.number}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or set(fields) & set(self.SNAPSHOT_FIELDS):
                raise ValueError(_("上报快照不可修改：请重新报送新版本"))
        super().save(*args, **kwargs)


class SnapshotFile(models.Model):
    """A photo or video copied into the send-ups' own storage, addressed by the SHA-256 of its bytes:
    the same file sent in several versions (or by several regions) is stored once, and deleting or
    replacing the original upload leaves every snapshot that took it intact. Never deleted by the
    application (snapshots are the official record)."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(max_length=200)
    content_kind = models.CharField(max_length=16)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("上报快照文件")

    def __str__(self) -> str:
        return self.sha256
