"""Units' events (notice 四.5, 五.2–五.4), the public's registrations, and check-ins at the door."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Campaign, ContentTheme, MainActivity
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .choices import CATEGORY_CHOICES, CheckInMethod, EventStatus, ImageKind, Mode, RegStatus, ScanResult

# Typed ticket codes: no 0/O, 1/I/L to misread at a door with a phone in the other hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(12)


class Event(models.Model):
    Status = EventStatus
    Mode = Mode

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="events", verbose_name=_("活动周")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="events", verbose_name=_("举办单位")
    )
    title = models.CharField(_("活动名称"), max_length=120)
    content_theme = models.ForeignKey(
        ContentTheme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("内容主题"),
    )
    main_activity = models.ForeignKey(
        MainActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("所属主要活动"),
    )
    category = models.CharField(_("活动类别"), max_length=20, choices=CATEGORY_CHOICES)
    audiences = models.JSONField(_("面向对象"), default=list, blank=True)
    mode = models.CharField(_("形式"), max_length=8, choices=Mode.choices, default=Mode.OFFLINE)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.CharField(_("地点"), max_length=120, blank=True)
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    registration_enabled = models.BooleanField(_("需要报名"), default=False)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("不填表示不限名额"))
    waitlist_limit = models.PositiveIntegerField(_("候补名额"), default=0)
    expected_scale = models.PositiveIntegerField(_("预计规模（人）"), null=True, blank=True)
    safety_contact = models.CharField(_("安全责任人"), max_length=50, blank=True)
    safety_phone = models.CharField(_("安全责任人电话"), max_length=30, blank=True)
    # 五.4 large events (expected scale ≥ settings.SCIWEEK_LARGE_EVENT_SCALE): the safety plan and the
    # permit (大型群众性活动安全许可) before approval (events/large.py).
    permit_number = models.CharField(_("安全许可文号"), max_length=100, blank=True)
    safety_plan = models.FileField(_("安全工作方案"), upload_to="events/safety/", max_length=200, blank=True)
    safety_plan_name = models.CharField(max_length=200, blank=True)  # the uploaded file's name, for display
    online_url = models.URLField(_("线上链接"), max_length=500, blank=True)
    online_platform = models.CharField(_("线上平台"), max_length=50, blank=True)
    description = models.TextField(_("活动介绍"), blank=True)
    backfill = models.BooleanField(_("补录已举办活动"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Cancelled (events.cancellation): why, when, by whom; shown on the public page and the calendar.
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Outcome (after the event): what the unit recorded, and where an online figure came from.
    offline_participants = models.PositiveIntegerField(_("线下参与人数"), null=True, blank=True)
    online_audience = models.PositiveIntegerField(_("线上观看人数"), null=True, blank=True)
    online_audience_source = models.CharField(_("线上人数来源"), max_length=120, blank=True)
    outcome_note = models.TextField(_("活动情况"), blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    click_count = models.PositiveIntegerField(_("线上链接点击次数"), default=0)
    # Kept by events.registration only, under this row's lock (FOR UPDATE): registrations on the
    # waiting list (exact), and the people holding a confirmed place as counted the last time the row
    # was locked. Confirmed places themselves are counted in PlaceShard (registration.places()).
    confirmed_places = models.PositiveIntegerField(default=0, editable=False)
    waitlisted_count = models.PositiveIntegerField(default=0, editable=False)
    # The venue poster's walk-in link carries this, so a check-in needs someone to have seen the poster.
    poster_key = models.CharField(max_length=24, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["campaign", "status", "starts_at"], name="event_calendar_idx"),
            models.Index(fields=["campaign", "unit", "status"], name="event_unit_idx"),
            models.Index(fields=["campaign", "updated_at"], name="event_changed_idx"),  # cache.version()
        ]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.APPROVED

    @property
    def is_online(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.BOTH)

    @property
    def is_offline(self) -> bool:
        return self.mode in (Mode.OFFLINE, Mode.BOTH)

    @property
    def safe_online_url(self) -> str:
        url = (self.online_url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else ""

    def registration_open(self, now: dt.datetime | None = None) -> bool:
        return self.is_published and self.registration_enabled and (now or clock.now()) < self.starts_at

    def local_days(self) -> list[dt.date]:
        first = timezone.localtime(self.starts_at).date()
        last = timezone.localtime(self.ends_at).date()
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


class EventImage(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=8, choices=ImageKind.choices, default=ImageKind.PROMO)
    file = models.FileField(upload_to="events/", max_length=200)  # name chosen by core.files
    thumbnail = models.FileField(upload_to="events/", max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


ACTIVE_REG = [RegStatus.CONFIRMED, RegStatus.WAITLISTED]


class Registration(models.Model):
    Status = RegStatus

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机号"), max_length=11)
    party_size = models.PositiveSmallIntegerField(_("人数"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=RegStatus.choices)
    code = models.CharField(_("票码"), max_length=CODE_LENGTH, default=new_code)
    ticket_nonce = models.CharField(max_length=24, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One live registration per mobile number per event; a cancelled one may register again.
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=Q(status__in=ACTIVE_REG),
                name="one_active_registration_per_phone",
            ),
            models.UniqueConstraint(fields=["event", "code"], name="unique_ticket_code"),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="registration_party_positive"),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_status_idx")]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")

    def __str__(self) -> str:
        return f"{self.name}（{self.event}）"


class PlaceShard(models.Model):
    """A share of an event's places (events.registration): Σ quota = capacity, Σ taken = confirmed people.

    Registrations for one event take their places from whichever shard no one else holds at that
    moment, so they commit side by side instead of queuing on one row. The database refuses a shard
    holding more than its quota, however the rows are written."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="place_shards")
    slot = models.PositiveSmallIntegerField()
    quota = models.PositiveIntegerField(null=True, blank=True)  # None: the event has no limit
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slot"], name="one_place_shard_per_slot"),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(taken__lte=models.F("quota")),
                name="place_shard_within_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}#{self.slot}: {self.taken}/{self.quota if self.quota is not None else '∞'}"


class CheckIn(models.Model):
    """Someone arrived. At most one per registration and one per mobile number per event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkins")
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="checkin"
    )
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机号"), max_length=11)
    party_size = models.PositiveSmallIntegerField(_("人数"), default=1)
    method = models.CharField(_("方式"), max_length=8, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(_("签到时间"))
    received_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "phone"], name="one_checkin_per_phone")]
        verbose_name = _("签到")
        verbose_name_plural = _("签到")

    def __str__(self) -> str:
        return f"{self.name} {self.checked_in_at:%H:%M}"


class Scan(models.Model):
    """One scan or typed code from a check-in phone, kept once by its client-made UUID (replay-safe)."""

    uuid = models.UUIDField(unique=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scans")
    raw = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=12, choices=ScanResult.choices)
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    message = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.uuid} {self.result}"
