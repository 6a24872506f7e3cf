"""The contest's figures (entries, students, schools, tutors) for the county roll-up and the summary.

``contest_figures(year=, root=)`` counts the entries of every contest run in ``root``'s subtree in that
year (vetoed and draft entries not counted). It is registered with the summary's section registry in
``reports`` when that registry exists (``reports/summary_sections.py``, issue 18), so the generated 活动总结
quotes it without the summary importing this domain.
"""

from __future__ import annotations

from decimal import Decimal

from sciweek.orgs.models import OrgUnit

from .models import Entry, Student


def contest_figures(*, year: int, root: OrgUnit) -> dict[str, int]:
    entries = Entry.objects.filter(
        contest__year=year, contest__campaign__org_unit__path__startswith=root.path
    ).exclude(status__in=[Entry.Status.DRAFT, Entry.Status.VETOED])
    tutors: set[tuple[int, str]] = set()
    for school_id, names in entries.values_list("school_id", "tutors"):
        tutors |= {(school_id, n) for n in names}
    return {
        "entries": entries.count(),
        "students": Student.objects.filter(entry__in=entries).count(),
        "schools": entries.values("school_id").distinct().count(),
        "tutors": len(tutors),
    }


LABELS = {
    "entries": ("参赛作品", "件"),
    "students": ("参赛学生", "人"),
    "schools": ("参赛学校", "所"),
    "tutors": ("指导教师", "人"),
}

try:  # the summary's registry (issue 18); absent on a branch without it
    from sciweek.reports.summary_sections import SummarySection, register_summary_section
except ImportError:  # pragma: no cover
    register_summary_section = None

if register_summary_section is not None:

    @register_summary_section("contest", order=30)
    def contest_section(*, year: int, root: OrgUnit):
        figures = contest_figures(year=year, root=root)
        if not figures["entries"]:
            return None
        text = (
            f"青少年科技创新大赛共收到 {figures['schools']} 所学校的参赛作品 {figures['entries']} 件，"
            f"参赛学生 {figures['students']} 人，指导教师 {figures['tutors']} 人。"
        )
        return SummarySection(
            key="contest",
            title="青少年科技创新大赛",
            paragraphs=(text,),
            figures={LABELS[k][0]: (Decimal(v), LABELS[k][1]) for k, v in figures.items()},
        )
