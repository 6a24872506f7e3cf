"""The contest's figures under the campaign's main activity 四.3 举办青少年科技创新大赛 (activity panels).

Registered with ``campaigns/activity_panels.py`` as the kind ``contests.contest`` (title containing
创新大赛, or the organizer's choice on the activity), the same mechanism the enterprise service uses.
Like the roll-up and the summary's section (``figures.contest_figures``), a campaign answers for every
contest of its year run in its region's subtree: a city's campaign sums its counties' contests.

Per contest and category group: entries 已报名 / 资格审查通过 / 一票否决 (drafts never count), and over the
entries not vetoed the students, schools and tutors (a tutor is a name within a school), as the summary
counts them. Scope, per contest (``access.contest_roles``): its organizers and viewers (the bureau over
it) see all of it with a link to the contest; a school's staff see their own school's entries only, with
a link to their entries; anyone else sees nothing of it. No panel on the portal (``public=True``): the
public card already links the contest's 公示 and 公布 pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciweek.campaigns.activity_panels import ActivityPanel, register_activity_panel
from sciweek.campaigns.models import Campaign, MainActivity

from .access import ORGANIZER, SCHOOL, VIEWER, contest_roles, schools_of
from .models import Contest, Entry, Student


@dataclass
class Figures:
    label: str = ""
    submitted: int = 0  # 已报名 (not yet through 资格审查)
    qualified: int = 0
    vetoed: int = 0
    students: int = 0
    schools: set[int] = field(default_factory=set)
    tutors: set[tuple[int, str]] = field(default_factory=set)

    @property
    def entries(self) -> int:
        return self.submitted + self.qualified + self.vetoed

    def as_row(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "entries": self.entries,
            "submitted": self.submitted,
            "qualified": self.qualified,
            "vetoed": self.vetoed,
            "students": self.students,
            "schools": len(self.schools),
            "tutors": len(self.tutors),
        }


def contest_rows(contest: Contest, *, school_ids: list[int] | None = None) -> dict[str, Any]:
    """{"groups": [row per category group, in the categories' order], "total": row} for ``contest``,
    kept to ``school_ids`` when given."""
    entries = Entry.objects.filter(contest=contest).exclude(status=Entry.Status.DRAFT)
    if school_ids is not None:
        entries = entries.filter(school_id__in=school_ids)
    students = dict(
        Student.objects.filter(entry__in=entries.exclude(status=Entry.Status.VETOED))
        .values_list("entry_id")
        .annotate(n=Count("id"))
        .values_list("entry_id", "n")
        .order_by()
    )
    groups: dict[str, Figures] = {}
    for group in contest.categories.order_by("order", "id").values_list("group", flat=True):
        groups.setdefault(group, Figures(label=group))
    total = Figures(label=_("合计"))
    rows = entries.values_list("pk", "category__group", "status", "school_id", "tutors").order_by()
    for pk, group, status, school_id, tutors in rows:
        g = groups.setdefault(group, Figures(label=group))
        for f in (g, total):
            if status == Entry.Status.VETOED:
                f.vetoed += 1
                continue
            if status == Entry.Status.QUALIFIED:
                f.qualified += 1
            else:
                f.submitted += 1
            f.students += students.get(pk, 0)
            f.schools.add(school_id)
            f.tutors |= {(school_id, n) for n in tutors}
    return {"groups": [g.as_row() for g in groups.values() if g.entries], "total": total.as_row()}


def visible_contest_figures(campaign: Campaign, user: Any) -> list[dict[str, Any]]:
    """Each contest of the campaign's year in its region the user may see, with its figures."""
    contests = (
        Contest.objects.filter(
            year=campaign.year, campaign__org_unit__path__startswith=campaign.org_unit.path
        )
        .select_related("campaign__org_unit", "org_unit")
        .order_by("campaign__org_unit__path", "id")
    )
    out = []
    for contest in contests:
        roles = contest_roles(user, contest)
        if roles & {ORGANIZER, VIEWER}:
            scope, school_ids = contest.campaign.org_unit.name, None
            link = (_("打开大赛"), reverse("contests:detail", args=[contest.pk]))
        elif SCHOOL in roles:
            schools = schools_of(user, contest)
            scope = "、".join(s.name for s in schools)
            link, school_ids = (
                (_("本校作品"), reverse("contests:entries", args=[contest.pk])),
                [s.pk for s in schools],
            )
        else:
            continue
        out.append(
            {"contest": contest, "scope": scope, "link": link, **contest_rows(contest, school_ids=school_ids)}
        )
    return out


@register_activity_panel(
    "contests.contest",
    label=gettext_lazy("青少年科技创新大赛（参赛作品、学生、学校、指导教师）"),
    title_words=("创新大赛",),
)
def contest_panel(
    *, campaign: Campaign, activity: MainActivity, user: Any, public: bool
) -> ActivityPanel | None:
    if public:
        return None
    contests = visible_contest_figures(campaign, user)
    if not contests:
        return None
    return ActivityPanel(
        title=_("青少年科技创新大赛报名情况"),
        template="contests/_activity_panel.html",
        context={"contests": contests},
    )
