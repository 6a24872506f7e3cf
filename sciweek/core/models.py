"""Cross-cutting records: the audit log, background jobs, in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, with the values before and after."""

    at = models.DateTimeField(auto_now_add=True)
    # Not indexed: users are deactivated, never deleted by the platform, and no page looks events up
    # by user (the audit list filters on actor_name). A user deleted in django-admin costs one scan.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    actor_name = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    # The org unit the object belongs to, so an organizer sees only the audit of their subtree.
    unit_path = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # Every write of the platform inserts a row here, so only the indexes a query reads (orgs/views/workbench.py
        # audit_list):
        # - audit_unit_path_idx: the organizer's scope, unit_path LIKE 'subtree%';
        # - audit_action_idx: the action filter, action LIKE 'report.%';
        #   both with the pattern operator class, which serves LIKE 'x%' and = (nothing sorts by them);
        # - audit_at_id_idx: the list's order (-at, -id), read backwards for the newest page, and the
        #   action choices (the 200 newest events).
        # Dropped: the default-opclass twins of action and unit_path; object_type and object_id (no page
        # shows one object's history, the object filter is icontains, which no btree serves); actor.
        indexes = [
            models.Index(fields=["unit_path"], name="audit_unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["action"], name="audit_action_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["at", "id"], name="audit_at_id_idx"),
        ]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Job(models.Model):
    """A long export / import with progress and a stored result file (see core/jobs.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(max_length=64)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))


class Notification(models.Model):
    """An in-app message to a user, or to every member of a unit (user left empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        # Read only as "mine": user_id = me OR unit_id IN (my units) (orgs/views/workbench.py, orgs/context.py),
        # served by the user and unit foreign-key indexes, which CASCADE needs as well; one person's
        # notifications are few, so they are sorted after that. No index on created_at: nothing reads
        # notifications by date alone.

    def __str__(self) -> str:
        return self.title


class OutboundMessage(models.Model):
    """A text message (SMS) to a member of the public, sent by a background job after its transaction
    commits (core/sms.py). Registrants give only a name and a mobile number, so this is how they hear
    that they moved up from the waiting list, that an event was cancelled or moved."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    phone = models.CharField(_("手机号"), max_length=20)
    text = models.TextField(_("内容"))
    kind = models.CharField(_("类型"), max_length=24, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField(_("发送方式"), max_length=24, blank=True)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    registration = models.ForeignKey(
        "events.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["event", "created_at"], name="message_event_idx"),
            models.Index(fields=["status", "created_at"], name="message_status_idx"),
        ]
        verbose_name = _("短信")
        verbose_name_plural = _("短信")

    def __str__(self) -> str:
        return f"{self.kind or 'sms'} → {self.phone[:3]}… ({self.status})"


class RateCounter(models.Model):
    """Attempts per key and time window (ratelimit.rate_limit_hit, when the cache is not Redis)."""

    name = models.CharField(max_length=120)
    bucket = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "bucket"], name="core_one_counter_per_window")]

    def __str__(self) -> str:
        return f"{self.name}@{self.bucket}: {self.hits}"


class DemoClock(models.Model):
    """The demo clock (core/clock.py), one row: the demo moment set at a real moment; it runs on from there.

    Read only when settings.DEMO_MODE is on; outside demo mode the platform never looks at it.
    """

    demo_at = models.DateTimeField()  # the demo moment chosen ...
    real_at = models.DateTimeField()  # ... at this real moment
    label = models.CharField(max_length=40, blank=True)  # the phase's name, when a named phase was chosen

    class Meta:
        verbose_name = _("演示时钟")
        verbose_name_plural = _("演示时钟")

    def __str__(self) -> str:
        return f"{self.demo_at:%Y-%m-%d %H:%M} ({self.label})"
