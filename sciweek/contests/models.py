"""The county youth S&T innovation contest (notice 四.3): rules as data, entries from schools."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Campaign
from sciweek.core.verification import verification_token
from sciweek.orgs.models import OrgUnit


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")


class StageCode(models.TextChoices):
    SIGNUP = "signup", _("报名")
    QUALIFICATION = "qualification", _("资格审查")
    PRELIMINARY = "preliminary", _("初评")
    FINAL = "final", _("终评/问辩")
    PUBLICITY = "publicity", _("公示")
    ANNOUNCEMENT = "announcement", _("公布")
    RECOMMENDATION = "recommendation", _("推荐")


def default_reminder_days() -> list[int]:
    return [3, 1]


class Contest(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contests")
    org_unit = models.ForeignKey(  # the lead unit (县科协): its staff run the contest
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveIntegerField(_("届次年份"))
    blind = models.BooleanField(_("盲评"), default=True)
    judges_per_entry = models.PositiveSmallIntegerField(_("每件作品评委数"), default=3)
    final_weight_preliminary = models.PositiveSmallIntegerField(_("终评中初评成绩占比（%）"), default=40)
    shortlist_share = models.PositiveSmallIntegerField(_("进入终评比例（%）"), default=40)
    publicity_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    work_from = models.DateField(_("作品完成起始日期"), null=True, blank=True)
    work_to = models.DateField(_("作品完成截止日期"), null=True, blank=True)
    award_tiers = models.JSONField(_("奖项及最高比例"), default=list)  # [[name, share], ...] best first
    # Days before a judging stage's end at which judges with unsubmitted scores are reminded.
    judge_reminder_days = models.JSONField(_("评审截止前提醒（天）"), default=default_reminder_days)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("青少年科技创新大赛")

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", _("科技创新成果")
        TUTOR = "tutor", _("科技辅导员科技教育创新成果")
        PAINTING = "painting", _("少年儿童科学幻想绘画")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("类别"), max_length=60)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    group = models.CharField(_("评审组"), max_length=40)  # judges' panel: loads balanced within it
    school_stages = models.JSONField(_("学段"), default=list)  # allowed SchoolStage values ([] = teachers)
    disciplines = models.JSONField(_("学科"), default=list)
    min_age = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)
    max_students = models.PositiveSmallIntegerField(_("集体项目最多人数"), default=3)
    required_attachments = models.JSONField(_("必交材料"), default=list)  # EntryFile.Kind values
    criteria = models.JSONField(_("评分标准"), default=list)  # [[name, weight], ...]
    recommend_quota = models.PositiveSmallIntegerField(_("推荐名额"), default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contest", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "code"], name="one_category_code")]
        verbose_name = _("参赛类别")

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="stages")
    code = models.CharField(max_length=20, choices=StageCode.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    order = models.PositiveSmallIntegerField(default=0)
    # Who sees what at this stage: {"public": bool (portal), "names_to_judges": bool}
    visibility = models.JSONField(default=dict)

    class Meta:
        ordering = ["contest", "order"]
        constraints = [models.UniqueConstraint(fields=["contest", "code"], name="one_stage_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class Entry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报名")
        QUALIFIED = "qualified", _("资格审查通过")
        VETOED = "vetoed", _("一票否决")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="contest_entries")
    title = models.CharField(_("作品名称"), max_length=100)
    abstract = models.TextField(_("作品简介"), blank=True)
    discipline = models.CharField(_("学科"), max_length=40, blank=True)
    collective = models.BooleanField(_("集体项目"), default=False)
    tutors = models.JSONField(_("指导教师"), default=list)  # ["姓名", ...]
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    veto_reason = models.CharField(_("否决理由"), max_length=300, blank=True)
    shortlisted = models.BooleanField(_("进入终评"), default=False)
    award_override = models.CharField(_("调整后奖项"), max_length=20, blank=True)
    award_override_reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    recommended = models.BooleanField(_("推荐上报"), default=False)
    cert_code = models.CharField(max_length=24, unique=True, default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["contest", "category__order", "id"]
        verbose_name = _("参赛作品")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.cert_code:
            self.cert_code = verification_token()
        super().save(*args, **kwargs)


class Student(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="students")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=30)
    grade = models.CharField(_("年级"), max_length=10)
    school_stage = models.CharField(_("学段"), max_length=10, choices=SchoolStage.choices)
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)

    class Meta:
        ordering = ["entry", "id"]
        # One entry per student per edition: a student is known by school, grade and name (no ID numbers).
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "school", "grade", "name"], name="one_entry_per_student"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EntryFile(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("研究报告")
        FORM = "form", _("申报表")
        NOVELTY = "novelty", _("查新报告")
        PHOTO = "photo", _("照片")
        VIDEO = "video", _("视频")
        IMAGE = "image", _("作品图片")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="contests/%Y/")
    name = models.CharField(max_length=200)  # shown; sanitised, never a path
    size = models.PositiveBigIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """A real-name objection during 公示, recorded and answered."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("联系电话"), max_length=20)
    text = models.TextField(_("异议内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} · {self.entry_id}"


class JudgeReminder(models.Model):
    """One reminder to one judge on one channel for one slot of one judging stage: the row is claimed
    (inserted under its unique key) before anything is sent, so each slot reaches a judge once."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judge_reminders")
    judge = models.ForeignKey("judging.Judge", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20, choices=StageCode.choices)
    channel = models.CharField(max_length=8)  # reminders.Channel: inapp, email, sms
    slot = models.CharField(max_length=24)  # "b4320" (minutes before the end), "m2023-05-20" (催办)
    pending = models.PositiveSmallIntegerField(default=0)  # unsubmitted scores when sent
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENT)
    detail = models.CharField(max_length=300, blank=True)
    sent_by = models.ForeignKey(  # the organizer who pressed 催办; empty for the scheduled reminders
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "judge", "stage", "channel", "slot"], name="judge_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} · {self.stage} · {self.slot} ({self.channel})"
