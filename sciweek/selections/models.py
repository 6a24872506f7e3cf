"""最美科技工作者 (notice 四.4): a selection, the nominations units send, and the optional public vote.

Votes are immutable rows; the live tally is kept in a few counter rows per candidate (``TallyShard``)
written in the vote's transaction, so reading it never counts the vote table. The voter is known only
by a keyed hash of the mobile number (HMAC with the secret key): uniqueness without storing numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit

DEFAULT_RULES = [
    "在本县工作满2年",
    "长期工作在科研、生产、推广一线",
    "未获得过同级或更高级别“最美科技工作者”称号",
    "非副处级及以上领导干部",
]


class Selection(models.Model):
    class Stage(models.TextChoices):
        NOMINATING = "nominating", _("推荐")
        QUALIFYING = "qualifying", _("资格审查")
        REVIEWING = "reviewing", _("专家评审")
        COMMITTEE = "committee", _("评审委员会审核")
        PUBLICIZING = "publicizing", _("公示")
        PUBLISHED = "published", _("公布")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="selections")
    title = models.CharField(_("名称"), max_length=100)
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.NOMINATING)
    nominate_until = models.DateTimeField(_("推荐截止时间"))
    default_quota = models.PositiveSmallIntegerField(_("每单位推荐名额"), default=2)
    places = models.PositiveSmallIntegerField(_("评选名额"), default=10)
    eligibility_rules = models.JSONField(_("推荐条件"), default=list)
    # The public vote is optional and off by default; its weight is capped (settings).
    vote_enabled = models.BooleanField(_("开展网络投票"), default=False)
    vote_from = models.DateTimeField(_("投票开始"), null=True, blank=True)
    vote_until = models.DateTimeField(_("投票结束"), null=True, blank=True)
    votes_per_candidate_per_day = models.PositiveSmallIntegerField(_("每人每天可投同一候选人票数"), default=1)
    candidates_per_day = models.PositiveSmallIntegerField(_("每人每天最多投候选人数"), default=10)
    public_weight = models.DecimalField(
        _("网络投票权重"), max_digits=3, decimal_places=2, default=Decimal("0.30")
    )
    publicize_from = models.DateField(_("公示开始"), null=True, blank=True)
    publicize_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    publicize_until = models.DateField(_("公示截止"), null=True, blank=True)
    decision_note = models.TextField(_("评审委员会意见"), blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-campaign__year", "id"]
        verbose_name = _("评选活动")
        verbose_name_plural = _("评选活动")

    def __str__(self) -> str:
        return self.title


class NominatingUnit(models.Model):
    """A unit entitled to nominate, with its quota (default: the selection's)."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominators")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    quota = models.PositiveSmallIntegerField(_("推荐名额"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["selection", "unit"], name="one_quota_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} ×{self.quota}"


class Nomination(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已推荐，待资格审查")
        RETURNED = "returned", _("已退回修改")
        QUALIFIED = "qualified", _("资格审查通过")
        REJECTED = "rejected", _("资格审查未通过")
        DISQUALIFIED = "disqualified", _("一票否决")
        SHORTLISTED = "shortlisted", _("候选人")
        WINNER = "winner", _("当选")

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("推荐单位"))
    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=2, choices=[("男", _("男")), ("女", _("女"))])
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    work_unit = models.CharField(_("工作单位"), max_length=100)
    post = models.CharField(_("职务/职称"), max_length=100, blank=True)
    field = models.CharField(_("从事领域"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20)  # masked for those without need; never public
    summary = models.TextField(_("简要事迹"))
    deeds = models.TextField(_("主要事迹"))
    honours = models.TextField(_("荣誉情况"), blank=True)
    unit_opinion = models.TextField(_("推荐单位意见"), blank=True)
    confirmed_rules = models.JSONField(_("已确认的推荐条件"), default=list)
    portrait = models.FileField(_("个人照片"), upload_to="selections/portraits/", blank=True)
    opinion_scan = models.FileField(_("推荐意见盖章扫描件"), upload_to="selections/opinions/", blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField(_("退回/否决理由"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("疑似重复")
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["selection_id", "unit__path", "id"]
        verbose_name = _("推荐人选")
        verbose_name_plural = _("推荐人选")

    def __str__(self) -> str:
        return self.name


class NominationPhoto(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", _("工作照片")
        HONOUR = "honour", _("荣誉证书扫描件")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.WORK)
    file = models.FileField(upload_to="selections/photos/")
    caption = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.caption or self.file.name or ""


class VoteCode(models.Model):
    """A 6-digit code sent by text; only keyed hashes of the number and the code are kept."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="+")
    phone_key = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["selection", "phone_key", "-created_at"], name="votecode_latest")]

    def __str__(self) -> str:
        return f"code for {self.phone_key[:8]}…"


class VoterDay(models.Model):
    """One row per voter and day: locked while that voter's votes are counted (exactly once)."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="+")
    phone_key = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["selection", "phone_key", "day"], name="one_voter_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.phone_key[:8]}… {self.day}"


class Vote(models.Model):
    """Immutable: a vote is only ever voided (with a reason), never changed or deleted."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    phone_key = models.CharField(max_length=64)
    phone_block = models.CharField(max_length=7)  # the first 7 digits: SMS-farm ranges, never the number
    day = models.DateField()
    at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    voided = models.BooleanField(default=False)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["selection", "phone_key", "day"], name="vote_voter_day"),
            models.Index(fields=["selection", "at"], name="vote_selection_at"),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} for {self.candidate_id}"


class TallyShard(models.Model):
    """A candidate's live count split over a few rows so that votes for one candidate commit side by side
    (on PostgreSQL the rows are spread over pages too: migration 0004, fillfactor 10)."""

    candidate = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="tally_shards")
    shard = models.PositiveSmallIntegerField()
    votes = models.IntegerField(default=0)
    voided = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "shard"], name="one_tally_row_per_shard")]

    def __str__(self) -> str:
        return f"{self.candidate_id}#{self.shard}: {self.votes}"


def max_public_weight() -> Decimal:
    return Decimal(str(getattr(settings, "SCIWEEK_MAX_PUBLIC_VOTE_WEIGHT", "0.30")))


class Objection(models.Model):
    """A real-name objection during 公示: confidential (the bureau only), each answered and closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        CLOSED = "closed", _("已办结")

    class Outcome(models.TextChoices):
        UNFOUNDED = "unfounded", _("经核查，异议不成立")
        UPHELD = "upheld", _("经核查，异议成立，取消当选")
        PARTLY = "partly", _("部分属实，不影响当选")

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="objections")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="objections", verbose_name=_("对象")
    )
    name = models.CharField(_("姓名"), max_length=30)
    unit_name = models.CharField(_("工作单位"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    is_unit = models.BooleanField(_("以单位名义"), default=False)
    content = models.TextField(_("异议内容"))
    evidence = models.FileField(_("证明材料"), upload_to="selections/objections/", blank=True)
    stamped_scan = models.FileField(_("单位盖章扫描件"), upload_to="selections/objections/", blank=True)
    created_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} → {self.nomination_id}"


# --- the nomination deadline as a campaign requirement (issue 16: reminders, the matrix, the to-do) ---
# A row of its own, not a field on Selection: the requirement belongs to campaigns, the link to the
# selection that owns its date (services/requirement.py keeps the two one date).


class NominationRequirement(models.Model):
    selection = models.OneToOneField(Selection, on_delete=models.CASCADE, related_name="requirement_link")
    requirement = models.OneToOneField(
        "campaigns.Requirement", on_delete=models.CASCADE, related_name="nomination_link"
    )

    def __str__(self) -> str:
        return f"{self.selection_id} → {self.requirement_id}"


# --- Expert review and certificates (h16a) ------------------------------------------------------------
# The expert review itself lives in the shared ``judging`` component (owner "selections.selection");
# only what judging has no place for is kept here.


class Certificate(models.Model):
    """A winner's certificate as issued: what it says is frozen at issue, and its token opens the public
    verification page. Whether it is still valid is read live from the nomination (an upheld objection or
    a later 一票否决 withdraws the title, and the page then says so)."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="certificate")
    token = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=30)
    title = models.CharField(_("荣誉称号"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    issuer = models.CharField(_("颁发单位"), max_length=200)
    issued_at = models.DateTimeField(_("颁发时间"))

    class Meta:
        verbose_name = _("荣誉证书")
        verbose_name_plural = _("荣誉证书")

    def __str__(self) -> str:
        return f"{self.name} · {self.title}"
