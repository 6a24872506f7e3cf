"""专家评审 of a selection through the shared ``judging`` component (owner "selections.selection").

- One round per selection (stage "expert"), its items the shortlisted candidates, one panel.
- Criteria and weights are data (default 先进性 40, 典型性 30, 故事性/影响力 30), editable until the
  first score is saved (a weight changed mid-review would change totals already given).
- Judges are accounts with the judge role, limited to this one selection (judging refuses a second).
- Conflicts: declared by the judge, and automatic when the judge's unit is the nominating unit or the
  nominee's work unit (the work unit is free text, so it is also matched by name).
- Assignment: every expert scores every candidate (the default for a small panel), or k experts per
  candidate through judging's min-cost-flow solver. Conflicted pairs are never assigned either way.
- Scores are saved through ``judging.scoring.score_save`` (bounds, version check, audit).

Every write is audited (here or in judging) and refused once the campaign is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.accounts.services import generate_password, membership_grant, user_create
from sciweek.campaigns.lifecycle import check_open
from sciweek.core.audit import audit_log
from sciweek.judging import services as judging
from sciweek.judging.models import Assignment, Conflict, ConflictKind, Judge, Judging, Score
from sciweek.judging.scoring import score_save
from sciweek.orgs.models import OrgUnit, Role, UnitKind
from sciweek.orgs.services import unit_create

from ..models import Nomination, Selection

OWNER = "selections.selection"
ITEM = "selections.nomination"
STAGE = "expert"
PANEL = "expert"  # one panel: every expert may judge every candidate
DEFAULT_CRITERIA = [("先进性", 40), ("典型性", 30), ("故事性/影响力", 30)]
REVIEWED = [Nomination.Status.SHORTLISTED, Nomination.Status.WINNER]


def review_round(selection: Selection) -> Judging | None:
    return Judging.objects.filter(owner_kind=OWNER, owner_id=selection.pk, stage=STAGE).first()


def judge_of(user: Any, selection: Selection) -> Judge | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Judge.objects.filter(owner_kind=OWNER, owner_id=selection.pk, user=user, active=True).first()


def _norm(text: str) -> str:
    return "".join((text or "").split())


def same_unit(a: str, b: str) -> bool:
    """Two unit names denote the same unit: equal, or one contains the other (泗县气象局 / 气象局)
    when the shorter has at least four characters (so 泗县 alone matches nothing)."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 4 and short in long_)


def _item_spec(n: Nomination) -> judging.ItemSpec:
    return judging.ItemSpec(
        kind=ITEM,
        object_id=n.pk,
        group=PANEL,
        discipline=n.field or "",
        label=n.name,
        conflict_units=(n.unit_id,),
    )


@transaction.atomic
def review_open(*, actor: Any, selection: Selection) -> Judging:
    """The selection's expert round (created with the default criteria on first use) with its items
    synced from the current shortlist; the selection moves to 专家评审."""
    check_open(selection.campaign, "setup")
    nominations = list(Nomination.objects.filter(selection=selection, status__in=REVIEWED))
    if not nominations:
        raise ValidationError({"__all__": _("尚无候选人：请先在资格审查中确定候选人。")})
    round_ = review_round(selection)
    if round_ is None:
        round_ = judging.judging_create(
            owner_kind=OWNER,
            owner_id=selection.pk,
            stage=STAGE,
            title=_("%(title)s专家评审") % {"title": selection.title},
            judges_per_item=3,
            blind=False,  # a selection honours named people: experts read the deeds with the name
            criteria={"": [judging.CriterionSpec(name, weight) for name, weight in DEFAULT_CRITERIA]},
            actor=actor,
        )
    judging.items_sync(judging=round_, specs=[_item_spec(n) for n in nominations], actor=actor)
    # A candidate taken off the shortlist (一票否决, withdrawn) stays in the round but is excluded.
    round_.items.filter(kind=ITEM).exclude(object_id__in=[n.pk for n in nominations]).update(excluded=True)
    if selection.stage in (Selection.Stage.NOMINATING, Selection.Stage.QUALIFYING):
        Selection.objects.filter(pk=selection.pk).update(
            stage=Selection.Stage.REVIEWING, version=selection.version + 1
        )
        selection.refresh_from_db()
        audit_log(
            actor=actor, action="selection.review_open", obj=selection, after={"items": len(nominations)}
        )
    return round_


def _locked_round(selection: Selection, version: int | None) -> Judging:
    round_ = review_round(selection)
    if round_ is None:
        raise ValidationError({"__all__": _("专家评审尚未开始。")})
    round_ = Judging.objects.select_for_update().get(pk=round_.pk)
    if version is not None and version != round_.version:
        err = ValidationError(
            {"version": [_("评审设置已被他人修改（当前版本 %(v)s），请刷新后再改。") % {"v": round_.version}]}
        )
        err.code = "stale"
        raise err
    return round_


def _bump(round_: Judging) -> None:
    Judging.objects.filter(pk=round_.pk).update(version=round_.version + 1)
    round_.version += 1


@dataclass(frozen=True)
class CriterionIn:
    name: str
    weight: int


@transaction.atomic
def review_criteria_set(
    *, actor: Any, selection: Selection, criteria: list[CriterionIn], version: int | None
) -> Judging:
    """Replace the criteria (names and weights summing to 100), version-checked; refused once scored."""
    check_open(selection.campaign, "setup")
    round_ = _locked_round(selection, version)
    if Score.objects.filter(assignment__judging=round_).exists():
        raise ValidationError({"criteria": _("已有专家评分，不能再修改评分项和权重。")})
    errors: dict[str, list[str]] = {}
    clean: list[CriterionIn] = []
    for i, c in enumerate(criteria, start=1):
        name = (c.name or "").strip()
        if not name:
            errors.setdefault(f"name{i}", []).append(_("第%(i)s项：请填写评分项名称。") % {"i": i})
        elif len(name) > 50:
            errors.setdefault(f"name{i}", []).append(_("第%(i)s项：名称不能超过50字。") % {"i": i})
        if not 1 <= c.weight <= 100:
            errors.setdefault(f"weight{i}", []).append(_("第%(i)s项：权重应在1到100之间。") % {"i": i})
        clean.append(CriterionIn(name, c.weight))
    if not clean:
        errors.setdefault("criteria", []).append(_("至少需要一个评分项。"))
    names = [c.name for c in clean]
    if len(set(names)) != len(names):
        errors.setdefault("criteria", []).append(_("评分项名称不能重复。"))
    total = sum(c.weight for c in clean)
    if clean and total != 100:
        errors.setdefault("criteria", []).append(_("各评分项权重之和应为100（现为%(t)s）。") % {"t": total})
    if errors:
        raise ValidationError(errors)
    judging.criteria_set(
        judging=round_, criteria={"": [judging.CriterionSpec(c.name, c.weight) for c in clean]}, actor=actor
    )
    _bump(round_)
    return round_


def judges_unit(selection: Selection, *, actor: Any) -> OrgUnit:
    """The experts' own group node under the region: their membership reaches no unit's pages."""
    region = selection.campaign.org_unit
    code = f"{region.code}-sel-judges-{selection.pk}"
    found = OrgUnit.objects.filter(code=code).first()
    if found is not None:
        return found
    return unit_create(
        actor=actor,
        parent=region,
        name=_("%(title)s评审专家（%(id)s）") % {"title": selection.title, "id": selection.pk},
        kind=UnitKind.GROUP,
        code=code,
    )


@transaction.atomic
def review_judge_create(
    *,
    actor: Any,
    selection: Selection,
    username: str,
    name: str,
    unit: OrgUnit | None = None,
    unit_text: str = "",
    expertise: list[str] | None = None,
    password: str | None = None,
    user: Any = None,
) -> tuple[Judge, str]:
    """An expert's account with the judge role limited to this selection; returns the one-time
    password ("" when an existing ``user`` was given)."""
    check_open(selection.campaign, "setup")
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写专家姓名。")})
    if user is None:
        if not (username or "").strip():
            raise ValidationError({"username": _("请填写登录账号。")})
        password = password or generate_password(username=username.strip(), display_name=name)
        user = user_create(actor=actor, username=username.strip(), password=password, display_name=name)
    else:
        password = ""
    membership_grant(actor=actor, user=user, unit=judges_unit(selection, actor=actor), role=Role.JUDGE)
    judge = judging.judge_add(
        owner_kind=OWNER,
        owner_id=selection.pk,
        user=user,
        name=name.strip(),
        group=PANEL,
        expertise=expertise or [],
        unit=unit,
        unit_text=(unit_text or "").strip(),
        actor=actor,
    )
    return judge, password


@transaction.atomic
def review_conflicts_refresh(*, actor: Any, selection: Selection) -> int:
    """Store the automatic conflicts judging cannot see from unit ids: the judge's unit (or the unit
    typed for an outside expert) named as the nominee's work unit."""
    round_ = review_round(selection)
    if round_ is None:
        return 0
    judges = list(Judge.objects.filter(owner_kind=OWNER, owner_id=selection.pk).select_related("unit"))
    work = dict(
        Nomination.objects.filter(pk__in=round_.items.values("object_id")).values_list("pk", "work_unit")
    )
    new = []
    for j in judges:
        names = [n for n in (j.unit.name if j.unit else "", j.unit_text) if n]
        for nomination_id, work_unit in work.items():
            if any(same_unit(n, work_unit) for n in names):
                new.append(
                    Conflict(
                        judge=j,
                        kind=ConflictKind.SAME_UNIT,
                        item_kind=ITEM,
                        object_id=nomination_id,
                        automatic=True,
                        note=_("与被推荐人工作单位相同"),
                    )
                )
    before = Conflict.objects.filter(judge__in=judges, automatic=True).count()
    Conflict.objects.bulk_create(new, ignore_conflicts=True)
    added = Conflict.objects.filter(judge__in=judges, automatic=True).count() - before
    judging.conflicts_refresh(judging=round_, actor=actor)
    if added:
        audit_log(actor=actor, action="selection.review_conflicts", obj=selection, after={"added": added})
    return added


@transaction.atomic
def review_assign(
    *, actor: Any, selection: Selection, k: int | None = None, version: int | None = None
) -> judging.AssignReport:
    """``k`` None: every expert on every candidate they may judge; else k experts per candidate by the
    solver (refused once scores exist, as judging refuses). Conflicts are never assigned."""
    check_open(selection.campaign, "setup")
    review_open(actor=actor, selection=selection)
    round_ = _locked_round(selection, version)
    if not Judge.objects.filter(owner_kind=OWNER, owner_id=selection.pk, active=True).exists():
        raise ValidationError({"__all__": _("请先添加评审专家。")})
    review_conflicts_refresh(actor=actor, selection=selection)
    if k is None:
        report = judging.assignment_all(judging=round_, actor=actor)
    else:
        report = judging.assignment_run(judging=round_, k=k, actor=actor)
    _bump(round_)
    return report


def review_declare(
    *, actor: Any, selection: Selection, judge: Judge, nomination_id: int, kind: str, note: str
) -> None:
    """A judge declares a conflict with a candidate: they are taken off it at once (unless scored)."""
    check_open(selection.campaign, "setup")
    if (judge.owner_kind, judge.owner_id) != (OWNER, selection.pk):
        raise ValidationError({"__all__": _("您不是本次评选的评审专家。")})
    if not Nomination.objects.filter(selection=selection, pk=nomination_id).exists():
        raise ValidationError({"nomination": _("候选人不存在。")})
    judging.conflict_declare(
        judge=judge, item_kind=ITEM, object_id=nomination_id, kind=kind, note=note or "", actor=actor
    )


def review_score_save(
    *,
    actor: Any,
    selection: Selection,
    judge: Judge,
    assignment: Assignment,
    values: dict[str, Any],
    comment: str = "",
    submit: bool = False,
    version: int | None,
) -> Score:
    """A judge's score for one candidate: judging checks bounds, ownership and the version."""
    check_open(selection.campaign, "setup")
    if assignment.judging.owner_kind != OWNER or assignment.judging.owner_id != selection.pk:
        raise ValidationError({"__all__": _("这不是本次评选的评审任务。")})
    return score_save(
        assignment=assignment,
        values=values,
        comment=comment,
        submit=submit,
        version=version,
        judge=judge,
        actor=actor,
    )


def weight_of(selection: Selection) -> Decimal:
    """The public vote's weight in the combined score: 0 without a vote, never above the cap."""
    from ..models import max_public_weight

    if not selection.vote_enabled:
        return Decimal(0)
    return max(Decimal(0), min(selection.public_weight, max_public_weight()))
