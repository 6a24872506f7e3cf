"""Publicity content units send before the week (notice 五.1) and the media coverage of the week (四.6).

A unit's PublicitySubmission goes draft → submitted → returned (with a reason) → submitted → approved,
as the statistics report does; approved content is locked and is what the bureau prints on boards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Campaign, MainActivity
from sciweek.orgs.models import OrgUnit


class PublicitySubmission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已通过")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="publicity")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="publicity")
    headline = models.CharField(_("展板标题"), max_length=100)
    body = models.TextField(_("宣传内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    board_size = models.CharField(_("展板尺寸"), max_length=20, default="rollup")
    layout = models.CharField(_("版式"), max_length=20, default="classic")
    logo = models.FileField(_("单位标志"), upload_to="publicity/logos/", blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_publicity_per_unit")]
        verbose_name = _("宣传内容")

    def __str__(self) -> str:
        return f"{self.unit} · {self.headline}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class PublicityImage(models.Model):
    """A photo for the board, stored upright and without EXIF (no GPS, no camera)."""

    submission = models.ForeignKey(PublicitySubmission, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to="publicity/")
    thumbnail = models.FileField(upload_to="publicity/", blank=True)
    original_name = models.CharField(max_length=200)
    caption = models.CharField(_("图片说明"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.original_name


class MediaOutlet(models.Model):
    class Kind(models.TextChoices):
        TV = "tv", _("电视")
        RADIO = "radio", _("广播")
        NEWSPAPER = "newspaper", _("报纸")
        WEBSITE = "website", _("网站")
        WECHAT = "wechat", _("微信公众号")
        WEIBO = "weibo", _("微博")
        SHORT_VIDEO = "short_video", _("短视频平台")
        APP = "app", _("客户端")

    region = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="media_outlets")
    name = models.CharField(_("媒体名称"), max_length=100)
    kind = models.CharField(_("媒体类型"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("所属单位"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="one_outlet_name_per_region")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MediaReport(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("新闻报道")
        FEATURE = "feature", _("专题报道")
        LIVESTREAM = "livestream", _("直播")
        SHORT_VIDEO = "short_video", _("短视频")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未采纳")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="media_reports")
    outlet = models.ForeignKey(MediaOutlet, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(_("标题"), max_length=200)
    published_on = models.DateField(_("发布日期"))
    url = models.URLField(_("链接"), max_length=500, blank=True)
    url_key = models.CharField(max_length=500, blank=True)  # normalised: the same page entered twice
    kind = models.CharField(_("报道形式"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="media_reports")
    entered_by_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    event_id = models.PositiveIntegerField(_("活动编号"), null=True, blank=True)
    activity = models.ForeignKey(MainActivity, null=True, blank=True, on_delete=models.SET_NULL)
    file = models.FileField(_("截图或文件"), upload_to="media_reports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    reach = models.PositiveIntegerField(_("阅读/观看量"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "url_key"],
                condition=~models.Q(url_key=""),
                name="one_media_report_per_url",
            )
        ]
        indexes = [models.Index(fields=["campaign", "unit", "status"])]
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title
