"""公示 → 公布 → 推荐: what the public sees when, objections, the recommendation list within quota.

- **公示** opens on the 公示 stage's start date and lasts ``publicity_days`` working days (core/workdays.py: public
  holidays and 调休 counted).
  The page lists each awarded entry with its students, school, title and award. During the period anyone
  may lodge a real-name objection (name and phone required), recorded and answered by the organizer.
- **公布** (final results) from the 公布 stage's start date on.
- **推荐**: per category, the best-ranked awarded entries up to the category's quota.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.workdays import add_workdays

from .models import Contest, Entry, Objection, StageCode
from .results import RankRow, ranking


@dataclass(frozen=True)
class Window:
    opens: dt.date | None
    closes: dt.date | None

    def open_on(self, today: dt.date) -> bool:
        return (
            self.opens is not None and self.opens <= today and (self.closes is None or today <= self.closes)
        )

    def begun(self, today: dt.date) -> bool:
        return self.opens is not None and self.opens <= today


def publicity_window(contest: Contest) -> Window:
    stage = contest.stages.filter(code=StageCode.PUBLICITY).first()
    if stage is None:
        return Window(None, None)
    return Window(stage.starts_on, add_workdays(stage.starts_on, max(1, contest.publicity_days)))


def announcement_window(contest: Contest) -> Window:
    stage = contest.stages.filter(code=StageCode.ANNOUNCEMENT).first()
    return Window(stage.starts_on if stage else None, None)


def announced(contest: Contest) -> bool:
    """Whether the results are published (the 公布 stage has begun by the clock)."""
    return announcement_window(contest).begun(clock.localdate())


def awarded_rows(contest: Contest) -> list[tuple[Any, list[RankRow]]]:
    """Per category, the entries with an award, best first (what 公示 and 公布 show)."""
    table = ranking(contest)
    out = []
    for cat in contest.categories.all():
        rows = [r for r in table.get(cat.pk, []) if r.award]
        if rows:
            out.append((cat, rows))
    return out


def recommendation(contest: Contest) -> list[tuple[Any, list[RankRow]]]:
    """Per category, the best awarded entries up to its quota (the list sent up to the city)."""
    return [(cat, rows[: cat.recommend_quota]) for cat, rows in awarded_rows(contest) if cat.recommend_quota]


@transaction.atomic
def objection_create(
    *, contest: Contest, entry_id: Any, name: str, phone: str, text: str, actor: Any
) -> Objection:
    # The public's objection follows the 公示 window alone, not the campaign's life cycle: the window
    # normally ends long before the campaign closes, and the life cycle's refusal speaks of the week's
    # settings, which would puzzle a member of the public. Answering it is the organizer's write (below).
    errors: dict[str, list[str]] = {}
    if not publicity_window(contest).open_on(clock.localdate()):
        raise ValidationError({"__all__": _("不在公示期内，不能提出异议。")})
    entry = contest.entries.filter(pk=int(entry_id)).first() if str(entry_id).isdigit() else None
    if entry is None or entry.status == Entry.Status.VETOED:
        errors["entry"] = [_("请选择公示名单中的作品。")]
    if not name.strip() or len(name.strip()) > 30:
        errors["name"] = [_("请填写真实姓名（实名提出异议）。")]
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        errors["phone"] = [_("请填写 11 位手机号码，以便答复。")]
    if len(text.strip()) < 10:
        errors["text"] = [_("请写明异议的事实和理由（不少于 10 字）。")]
    elif len(text) > 2000:
        errors["text"] = [_("异议内容不能超过 2000 字。")]
    if errors:
        raise ValidationError(errors)
    objection = Objection.objects.create(
        contest=contest, entry=entry, name=name.strip(), phone=digits, text=text.strip()
    )
    audit_log(
        actor=actor if getattr(actor, "is_authenticated", False) else f"公众（{name.strip()}）",
        action="contest.objection.create",
        obj=objection,
        object_repr=f"对「{entry.title}」的异议",
        after={"entry": entry.pk, "name": name.strip()},
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, answer: str, actor: Any) -> Objection:
    check_open(objection.contest.campaign, "setup")
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复内容。")})
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    before = {"answer": objection.answer}
    objection.answer, objection.answered_at = answer.strip()[:2000], clock.now()
    objection.save(update_fields=["answer", "answered_at"])
    audit_log(
        actor=actor,
        action="contest.objection.answer",
        obj=objection,
        before=before,
        after={"answer": objection.answer},
    )
    return objection


@dataclass(frozen=True)
class PublicLink:
    contest: Contest
    url: str
    label: str
    activity_number: int | None  # the campaign's main activity the contest is (四.3), when recognised


def public_links(campaign: Any) -> list[PublicLink]:
    """Links for the campaign's portal page to its contests' 公示 and 公布 pages, once each has opened
    (the pages themselves answer 404 before); matched to the main activity whose title names the contest."""
    from django.urls import reverse

    today = clock.localdate()
    activities = list(campaign.activities.values_list("number", "title"))
    out = []
    for contest in Contest.objects.filter(campaign=campaign).order_by("id"):
        number = next((n for n, t in activities if t and (t in contest.title or "创新大赛" in t)), None)
        if publicity_window(contest).begun(today):
            label = _("%(title)s · 公示") % {"title": contest.title}
            out.append(PublicLink(contest, reverse("contests:publicity", args=[contest.pk]), label, number))
        if announcement_window(contest).begun(today):
            label = _("%(title)s · 结果公布") % {"title": contest.title}
            out.append(
                PublicLink(contest, reverse("contests:announcement", args=[contest.pk]), label, number)
            )
    return out
