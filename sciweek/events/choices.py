"""Event categories, audiences and modes, as the notice names them (三.4, 四.5, 五.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# 三.4: the sector weeks units join, then the ordinary kinds of event the notice lists (四.5, 五.3).
SECTOR_WEEKS = [
    "金融科技周",
    "农业科技周",
    "粮食和物资储备科技周",
    "职业教育活动周",
    "公众科学日",
    "气象科技周",
    "林草科技周",
    "交通运输科技周",
]
EVENT_KINDS = [
    "科普讲座",
    "展览展示",
    "开放日",
    "技术培训",
    "咨询服务",
    "科技特派员乡村行",
    "直播",
    "微视频",
    "微动漫",
    "竞赛",
    "其他",
]
CATEGORY_CHOICES = [(c, c) for c in SECTOR_WEEKS + EVENT_KINDS]
CATEGORIES = {c for c, _label in CATEGORY_CHOICES}

# 三.4: 田间地头、厂矿企业、社区农村、中小学校, with a focus on young people.
AUDIENCES = ["青少年", "农民", "企业", "社区居民", "中小学校", "老年人", "公众"]
AUDIENCE_CHOICES = [(a, a) for a in AUDIENCES]


class Mode(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")
    BOTH = "both", _("线上线下同步")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已发布")
    CANCELLED = "cancelled", _("已取消")  # by its unit or the organizer, with a reason (cancellation.py)


class RegStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("报名成功")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")


class CheckInMethod(models.TextChoices):
    SCAN = "scan", _("扫码")
    TYPED = "typed", _("输入票码")
    WALKIN = "walkin", _("现场登记")


class ScanResult(models.TextChoices):
    OK = "ok", _("签到成功")
    DUPLICATE = "duplicate", _("已签到")
    INVALID = "invalid", _("无效票码")
    OTHER_EVENT = "other_event", _("非本活动票")
    CANCELLED = "cancelled", _("报名已取消")
    WAITLISTED = "waitlisted", _("候补未获名额")


class ImageKind(models.TextChoices):
    PROMO = "promo", _("宣传图片")
    PHOTO = "photo", _("活动照片")


MAX_PARTY = 5  # people one registration may bring (the registrant included)
