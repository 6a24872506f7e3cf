"""最美科技工作者 in the generated 活动总结: per selection of the year below the summary's node, the
nominations per unit, the candidates, the public vote (valid and voided) when there was one, and the
winners with their 简要事迹, one line each. Registered with reports' section registry, so the summary
quotes it without importing this domain. Mobiles and other personal data never appear here.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from sciweek.orgs.models import OrgUnit
from sciweek.reports.summary_sections import SummarySection, register_summary_section

from .compliance import SENT
from .models import Nomination, Selection, TallyShard

CANDIDATES = [Nomination.Status.SHORTLISTED, Nomination.Status.WINNER]


def selection_figures(selection: Selection) -> dict:
    sent = Nomination.objects.filter(selection=selection, status__in=SENT)
    per_unit = list(
        sent.values("unit__name", "unit__path")
        .annotate(n=Count("id"))
        .order_by("unit__path")
        .values_list("unit__name", "n")
    )
    votes = TallyShard.objects.filter(candidate__selection=selection).aggregate(
        v=Sum("votes"), x=Sum("voided")
    )
    winners = list(
        Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER)
        .order_by("unit__path", "id")
        .values_list("name", "work_unit", "summary")
    )
    return {
        "units": len(per_unit),
        "per_unit": per_unit,
        "nominations": sum(n for _u, n in per_unit),
        "candidates": Nomination.objects.filter(selection=selection, status__in=CANDIDATES).count(),
        "vote": selection.vote_enabled,
        "valid": votes["v"] or 0,
        "voided": votes["x"] or 0,
        "winners": winners,
    }


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


@register_summary_section("selection", order=35)
def selection_section(*, year: int, root: OrgUnit) -> SummarySection | None:
    selections = list(
        Selection.objects.filter(
            campaign__year=year, campaign__org_unit__path__startswith=root.path
        ).order_by("id")
    )
    paragraphs: list[str] = []
    totals = {"nominations": 0, "candidates": 0, "valid": 0, "voided": 0, "winners": 0}
    for selection in selections:
        f = selection_figures(selection)
        if not f["nominations"]:
            continue
        units = _("、").join(_("%(unit)s%(n)s人") % {"unit": u, "n": n} for u, n in f["per_unit"])
        text = _(
            "“%(title)s”评选共收到%(units)s个推荐单位推荐的人选%(n)s人（%(per_unit)s），确定候选人%(c)s人。"
        ) % {
            "title": selection.title,
            "units": f["units"],
            "n": f["nominations"],
            "per_unit": units,
            "c": f["candidates"],
        }
        if f["vote"]:
            text += _("网络投票有效票%(valid)s票，作废%(voided)s票。") % {
                "valid": f["valid"],
                "voided": f["voided"],
            }
        paragraphs.append(text)
        if f["winners"]:
            paragraphs.append(_("评选产生%(n)s名当选者：") % {"n": len(f["winners"])})
            paragraphs += [
                _("%(name)s（%(unit)s）：%(summary)s")
                % {"name": name, "unit": unit, "summary": _one_line(summary)}
                for name, unit, summary in f["winners"]
            ]
        totals["nominations"] += f["nominations"]
        totals["candidates"] += f["candidates"]
        totals["valid"] += f["valid"] if f["vote"] else 0
        totals["voided"] += f["voided"] if f["vote"] else 0
        totals["winners"] += len(f["winners"])
    if not paragraphs:
        return None
    labels = {
        "nominations": (_("推荐人选"), _("人")),
        "candidates": (_("候选人"), _("人")),
        "valid": (_("网络投票有效票"), _("票")),
        "voided": (_("网络投票作废票"), _("票")),
        "winners": (_("当选"), _("人")),
    }
    return SummarySection(
        key="selection",
        title=_("最美科技工作者评选"),
        paragraphs=tuple(paragraphs),
        figures={labels[k][0]: (Decimal(v), labels[k][1]) for k, v in totals.items()},
    )
