"""Rounds, criteria, judges, conflicts, assignments and scores — generic over what is judged."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.orgs.models import OrgUnit


class Aggregation(models.TextChoices):
    TRIMMED = "trimmed", _("去掉最高分和最低分后取平均（5个及以上评分时）")
    MEAN = "mean", _("算术平均")


class Judging(models.Model):
    """One round of judging (初评, 终评/问辩, …) of whatever ``owner_kind``/``owner_id`` names."""

    owner_kind = models.CharField(max_length=50)  # "contests.contest", "selections.selection"
    owner_id = models.PositiveBigIntegerField()
    stage = models.CharField(_("阶段"), max_length=20)  # the owner's stage code: "preliminary", "final"
    title = models.CharField(_("名称"), max_length=100)
    judges_per_item = models.PositiveSmallIntegerField(_("每件作品评委数"), default=3)
    aggregation = models.CharField(
        _("汇总方式"), max_length=10, choices=Aggregation.choices, default=Aggregation.TRIMMED
    )
    # A judge's standardised score is shown only when that judge scored at least this many items.
    min_items_for_standardised = models.PositiveSmallIntegerField(_("标准分最少评审件数"), default=5)
    blind = models.BooleanField(_("盲评"), default=True)
    show_others_after_submit = models.BooleanField(_("提交后可见其他评委评分"), default=False)
    closed = models.BooleanField(_("已结束"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_kind", "owner_id", "stage"], name="one_judging_per_stage")
        ]
        verbose_name = _("评审轮次")

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A criterion with its weight (points of 100) for the items of one group ("" = every group)."""

    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("组别"), max_length=40, blank=True)
    name = models.CharField(_("评分项"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("权重（分）"))
    max_score = models.DecimalField(_("满分"), max_digits=6, decimal_places=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["judging", "group", "order", "id"]
        verbose_name = _("评分项")

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class Item(models.Model):
    """Something judged in a round, named by (kind, object_id); the owner fills in the rest."""

    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=50)  # "contests.entry"
    object_id = models.PositiveBigIntegerField()
    group = models.CharField(_("评审组"), max_length=40)  # judges' loads are balanced within a group
    discipline = models.CharField(_("学科"), max_length=40, blank=True)  # matched with judges' expertise
    # Whose criteria score it ("" = the group's): one panel may judge categories with different criteria.
    criteria_group = models.CharField(max_length=40, blank=True)
    label = models.CharField(_("名称"), max_length=200)  # shown to judges: never a person's name
    conflict_units = models.JSONField(default=list)  # units whose judges may not judge it (the school)
    excluded = models.BooleanField(_("已取消资格"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["judging", "kind", "object_id"], name="one_item_per_object")
        ]
        ordering = ["judging", "group", "id"]
        verbose_name = _("评审对象")

    def __str__(self) -> str:
        return self.label


class Judge(models.Model):
    """An expert's seat for one owner (one contest or one selection) and one group."""

    owner_kind = models.CharField(max_length=50)
    owner_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_seats")
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("工作单位"),
    )
    unit_text = models.CharField(_("工作单位（外地）"), max_length=100, blank=True)
    group = models.CharField(_("评审组"), max_length=40)
    expertise = models.JSONField(_("专业领域"), default=list)
    pledge_accepted_at = models.DateTimeField(_("签署承诺时间"), null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_kind", "owner_id", "user"], name="one_seat_per_owner")
        ]
        ordering = ["group", "id"]
        verbose_name = _("评委")

    def __str__(self) -> str:
        return self.name


class ConflictKind(models.TextChoices):
    KIN = "kin", _("亲属")
    TEACHER = "teacher", _("师生")
    SAME_UNIT = "same_unit", _("同校/同单位")
    TUTORED = "tutored", _("指导过该作品")
    OTHER = "other", _("其他利益相关")


class Conflict(models.Model):
    """A judge may not judge an item: declared by the judge or found from the units (automatic)."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("回避类型"), max_length=12, choices=ConflictKind.choices)
    item_kind = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    automatic = models.BooleanField(default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "item_kind", "object_id", "kind"], name="one_conflict_per_kind"
            )
        ]
        verbose_name = _("回避")

    def __str__(self) -> str:
        return f"{self.judge_id} · {self.get_kind_display()}"


class Assignment(models.Model):
    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    manual = models.BooleanField(default=False)
    expertise_match = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "item"], name="one_assignment_per_pair")]
        ordering = ["item_id", "judge_id"]
        verbose_name = _("评审分配")

    def __str__(self) -> str:
        return f"{self.judge_id} → {self.item_id}"


class Score(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="score")
    values = models.JSONField(default=dict)  # {criterion id: points}
    total = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    comment = models.TextField(_("评语"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.total}"
