"""Reminder rules (data the organizer edits), the occurrences sent, people's channel preferences,
and the organizer's confirmations for requirements no system record can judge (kind "other")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Requirement
from sciweek.orgs.models import OrgUnit

# 3 days, 1 day and 2 hours before the deadline, in minutes.
DEFAULT_BEFORE = [3 * 24 * 60, 24 * 60, 120]


def default_before() -> list[int]:
    return list(DEFAULT_BEFORE)


class ReminderRule(models.Model):
    """When a requirement's non-compliant units are reminded. A requirement without a row uses the
    defaults (``rule_for``), so a new requirement chases people without anyone setting it up."""

    requirement = models.OneToOneField(Requirement, on_delete=models.CASCADE, related_name="reminder_rule")
    enabled = models.BooleanField(_("发送提醒"), default=True)
    before_minutes = models.JSONField(_("截止前提醒（分钟）"), default=default_before)
    overdue_max = models.PositiveSmallIntegerField(
        _("逾期后提醒次数上限"), default=5, help_text=_("逾期后每个工作日提醒一次，最多这么多次；0 为不提醒")
    )
    overdue_time = models.TimeField(_("逾期提醒时间"), default=dt.time(9, 0))
    escalate_after = models.PositiveSmallIntegerField(
        _("升级前逾期提醒次数"),
        default=2,
        help_text=_("逾期提醒这么多次之后，同时告知单位负责人和组织单位；0 为不升级"),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")

    def __str__(self) -> str:
        return f"{self.requirement} 的提醒规则"


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Occurrence(models.Model):
    """One reminder to one person on one channel for one slot of one requirement's rule.

    The unique key is claimed (the row inserted) before anything is sent: whoever inserts it sends
    it, and nobody else ever can — two schedulers, a crash half-way, a restart."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("未发送")

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    slot = models.CharField(_("提醒时点"), max_length=16)  # "b4320" (minutes before), "o3" (3rd overdue)
    due_at = models.DateTimeField(_("应发时间"))
    send_after = models.DateTimeField(_("发送时间不早于"))
    escalation = models.BooleanField(_("升级提醒"), default=False)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    address = models.CharField(_("地址"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    link = models.CharField(max_length=300, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    message = models.ForeignKey(
        "core.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=16, blank=True)  # the delivery that took the row
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "unit", "user", "channel", "slot"], name="reminder_occurrence_once"
            )
        ]
        indexes = [
            # The delivery sweep: pending rows whose time has come.
            models.Index(fields=["status", "send_after"], name="reminder_due_idx"),
            # The daily cap: what one person was sent today.
            models.Index(fields=["user", "sent_at"], name="reminder_user_day_idx"),
        ]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")

    def __str__(self) -> str:
        return f"{self.subject} → {self.user_id} ({self.channel}, {self.status})"


class Preference(models.Model):
    """How one person wants to be reminded. In-app notifications always arrive."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.BooleanField(_("电子邮件提醒"), default=True)
    sms = models.BooleanField(_("短信提醒"), default=True)
    quiet_start = models.TimeField(_("免打扰开始"), default=dt.time(22, 0))
    quiet_end = models.TimeField(_("免打扰结束"), default=dt.time(8, 0))
    daily_cap = models.PositiveSmallIntegerField(
        _("每日最多提醒条数"), default=6, help_text=_("邮件和短信合计；站内通知不受限")
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return f"{self.user_id} 的提醒设置"


class Confirmation(models.Model):
    """The organizer's word that a unit met a requirement of kind "other" (nothing in the system
    records it: a nomination sent on paper, a plan handed in at the bureau), with a note."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("说明"), max_length=300)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["requirement", "unit"], name="unique_confirmation")]
        verbose_name = _("组织单位确认")
        verbose_name_plural = _("组织单位确认")

    def __str__(self) -> str:
        return self.note


class SchedulerLock(models.Model):
    """A lease per scheduled duty: a process takes it by a conditional UPDATE (free or expired), so one
    process at a time runs the minute's tick; the occurrences' unique keys make a double run harmless
    anyway. Also marks duties done once a day (the digest: name "digest:2023-05-29")."""

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=32, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    last_tick = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
