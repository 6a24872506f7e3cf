"""Setting a contest up: rules copied from the defaults, stages with dates, judging rounds, judges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.accounts.services import generate_password, membership_grant, user_create
from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log
from sciweek.judging.models import Judge, Judging
from sciweek.judging.services import CriterionSpec, ItemSpec, items_sync, judge_add, judging_create
from sciweek.orgs.models import OrgUnit, Role, UnitKind
from sciweek.orgs.services import unit_create

from . import rules
from .models import Category, Contest, Entry, Stage, StageCode

OWNER = "contests.contest"
ITEM = "contests.entry"
ROUNDS = {StageCode.PRELIMINARY: "初评（材料评审）", StageCode.FINAL: "终评（现场问辩）"}


@transaction.atomic
def contest_create(
    *,
    campaign: Campaign,
    org_unit: OrgUnit,
    title: str,
    blind: bool = True,
    judges_per_entry: int = 3,
    actor: Any,
) -> Contest:
    """A contest with the default rules (categories, criteria, stages, award tiers) and its two rounds."""
    check_open(campaign, "setup")  # every contest write: see judge_services.py for the choice
    contest = Contest.objects.create(
        campaign=campaign,
        org_unit=org_unit,
        title=title,
        year=campaign.year,
        blind=blind,
        judges_per_entry=judges_per_entry,
        award_tiers=rules.AWARD_TIERS,
        work_from=dt.date(campaign.year - 1, 6, 1),
        work_to=campaign.start_date,
    )
    for order, (code, name, kind, group, stages, disc, lo, hi, files, criteria, quota) in enumerate(
        rules.CATEGORIES
    ):
        Category.objects.create(
            contest=contest,
            code=code,
            name=name,
            kind=kind,
            group=group,
            school_stages=[str(s) for s in stages],
            disciplines=disc,
            min_age=lo,
            max_age=hi,
            required_attachments=files,
            criteria=criteria,
            recommend_quota=quota,
            order=order,
        )
    for order, (code, (start, end)) in enumerate(rules.default_stage_dates(campaign.start_date).items()):
        Stage.objects.create(
            contest=contest,
            code=code,
            starts_on=start,
            ends_on=end,
            order=order,
            visibility={"public": code in rules.PUBLIC_STAGES, "names_to_judges": not blind},
        )
    for stage, name in ROUNDS.items():
        judging_create(
            owner_kind=OWNER,
            owner_id=contest.pk,
            stage=stage,
            title=name,
            judges_per_item=judges_per_entry,
            blind=blind,
            criteria=criteria_by_group(contest),
            actor=actor,
        )
    audit_log(actor=actor, action="contest.create", obj=contest, after={"title": title})
    return contest


def criteria_by_group(contest: Contest) -> dict[str, list[CriterionSpec]]:
    """Criteria per category (items' criteria group is their category's code)."""
    return {
        c.code: [CriterionSpec(name, int(weight), Decimal(int(weight))) for name, weight in c.criteria]
        for c in contest.categories.all()
    }


def judging_of(contest: Contest, stage: str) -> Judging:
    return Judging.objects.get(owner_kind=OWNER, owner_id=contest.pk, stage=stage)


def judges_of(contest: Contest):
    return Judge.objects.filter(owner_kind=OWNER, owner_id=contest.pk)


def current_stage(contest: Contest, today: dt.date) -> Stage | None:
    """The stage whose dates hold today, else the last one begun."""
    begun = [s for s in contest.stages.all() if s.starts_on <= today]
    within = [s for s in begun if today <= s.ends_on]
    return (within or begun or [None])[-1]


@transaction.atomic
def contest_judge_create(
    *,
    contest: Contest,
    username: str,
    name: str,
    group: str,
    expertise: list[str],
    unit: OrgUnit | None = None,
    unit_text: str = "",
    password: str | None = None,
    user: Any = None,
    actor: Any,
) -> tuple[Judge, str]:
    """An expert's account with the judge role, limited to this contest. Returns the one-time password
    ("" when an existing ``user`` was given)."""
    check_open(contest.campaign, "setup")
    if group not in set(contest.categories.values_list("group", flat=True)):
        raise ValidationError({"group": _("评审组「%(group)s」不存在。") % {"group": group}})
    if user is None:
        password = password or generate_password(username=username, display_name=name)
        user = user_create(actor=actor, username=username, password=password, display_name=name)
    else:
        password = ""
    membership_grant(actor=actor, user=user, unit=judges_unit(contest, actor=actor), role=Role.JUDGE)
    judge = judge_add(
        owner_kind=OWNER,
        owner_id=contest.pk,
        user=user,
        name=name,
        group=group,
        expertise=expertise,
        unit=unit,
        unit_text=unit_text,
        actor=actor,
    )
    return judge, password


def judges_unit(contest: Contest, *, actor: Any) -> OrgUnit:
    """The judges' own group node under the lead unit: a judge's membership sits there, so it reaches
    no participating unit's pages or notifications (a group takes no part in the week)."""
    code = f"{contest.org_unit.code}-judges-{contest.pk}"
    found = OrgUnit.objects.filter(code=code).first()
    if found is not None:
        return found
    return unit_create(
        actor=actor, parent=contest.org_unit, name=f"{contest.title}评委", kind=UnitKind.GROUP, code=code
    )


def item_spec(entry: Entry) -> ItemSpec:
    # The judges' label is the title alone: blind mode never puts a name there.
    return ItemSpec(
        kind=ITEM,
        object_id=entry.pk,
        group=entry.category.group,
        discipline=entry.discipline,
        label=entry.title,
        conflict_units=(entry.school_id,),
        excluded=entry.status == Entry.Status.VETOED,
        criteria_group=entry.category.code,
    )


@transaction.atomic
def rounds_sync(*, contest: Contest, actor: Any) -> None:
    """Items of 初评: every entry submitted or qualified; of 终评: the shortlisted ones."""
    entries = list(
        contest.entries.exclude(status=Entry.Status.DRAFT).select_related("category").order_by("id")
    )
    items_sync(
        judging=judging_of(contest, StageCode.PRELIMINARY), specs=[item_spec(e) for e in entries], actor=actor
    )
    items_sync(
        judging=judging_of(contest, StageCode.FINAL),
        specs=[item_spec(e) for e in entries if e.shortlisted],
        actor=actor,
    )


@transaction.atomic
def judges_see_peers_of(contest: Contest) -> bool:
    """Whether a judge who submitted an entry's score then sees the others' (set for both rounds)."""
    return Judging.objects.filter(
        owner_kind=OWNER, owner_id=contest.pk, show_others_after_submit=True
    ).exists()


def contest_settings_save(
    *,
    contest: Contest,
    version: int,
    shares: list[int],
    blind: bool,
    judges_per_entry: int,
    publicity_days: int,
    final_weight_preliminary: int,
    actor: Any,
    judges_see_peers: bool | None = None,
    judge_reminder_days: list[int] | None = None,
) -> Contest:
    """The organizer's settings: award shares (percent per tier, best first), blind mode, judges per entry,
    公示 length, the weight of 初评 in 终评, whether a judge sees the others' scores of an entry after
    submitting their own, the days before a judging stage's end when late judges are reminded (None: kept).
    Version-checked; blind mode and k carry over to both rounds."""
    check_open(contest.campaign, "setup")
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    errors: dict[str, list[str]] = {}
    names = [name for name, _ in contest.award_tiers]
    if len(shares) != len(names) or any(not 0 <= s <= 100 for s in shares):
        errors["shares"] = [_("各奖项比例应为 0 到 100 之间的整数。")]
    elif sum(shares) > 100:
        errors["shares"] = [_("各奖项比例之和为 %(sum)s%%，不能超过 100%%。") % {"sum": sum(shares)}]
    if not 1 <= judges_per_entry <= 15:
        errors["judges_per_entry"] = [_("每件作品评委数应在 1 到 15 之间。")]
    if not 1 <= publicity_days <= 30:
        errors["publicity_days"] = [_("公示期应为 1 到 30 个工作日。")]
    if not 0 <= final_weight_preliminary <= 100:
        errors["final_weight_preliminary"] = [_("初评成绩占比应在 0 到 100 之间。")]
    if judge_reminder_days is not None and (
        len(judge_reminder_days) > 5 or any(not 1 <= d <= 30 for d in judge_reminder_days)
    ):
        errors["judge_reminder_days"] = [_("评审截止前提醒天数应为 1 到 30 之间的整数，最多 5 个。")]
    if errors:
        raise ValidationError(errors)
    if contest.version != version:
        from sciweek.core.errors import StaleVersion

        raise StaleVersion(_("大赛设置"))
    before = {
        "award_tiers": contest.award_tiers,
        "blind": contest.blind,
        "k": contest.judges_per_entry,
        "judges_see_peers": judges_see_peers_of(contest),
        "judge_reminder_days": contest.judge_reminder_days,
    }
    if judge_reminder_days is not None:
        contest.judge_reminder_days = sorted(set(judge_reminder_days), reverse=True)
    contest.award_tiers = [[n, s / 100] for n, s in zip(names, shares, strict=True)]
    contest.blind, contest.judges_per_entry = blind, judges_per_entry
    contest.publicity_days, contest.final_weight_preliminary = publicity_days, final_weight_preliminary
    contest.version += 1
    contest.save()
    Judging.objects.filter(owner_kind=OWNER, owner_id=contest.pk).update(
        blind=blind, judges_per_item=judges_per_entry
    )
    if judges_see_peers is not None:  # the rounds' own switch (judging.Judging.show_others_after_submit)
        Judging.objects.filter(owner_kind=OWNER, owner_id=contest.pk).update(
            show_others_after_submit=judges_see_peers
        )
    audit_log(
        actor=actor,
        action="contest.settings",
        obj=contest,
        before=before,
        after={
            "award_tiers": contest.award_tiers,
            "blind": blind,
            "k": judges_per_entry,
            "judges_see_peers": judges_see_peers_of(contest),
            "judge_reminder_days": contest.judge_reminder_days,
        },
    )
    return contest
