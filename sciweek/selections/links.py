"""Links for the campaign's portal page to its selections' 公示 and 公布 pages, as contests have
(contests/publication.py ``public_links``): shown once the page has opened (before, it answers 404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Selection


@dataclass(frozen=True)
class PublicLink:
    selection: Selection
    url: str
    label: str
    # The campaign's main activity the selection belongs to (四.4), when recognised.
    activity_number: int | None


def public_links(campaign: Any) -> list[PublicLink]:
    """The 公示 link from the start of 公示 on (the page stays as the record after it), and the 公布 link
    once published; matched to the main activity whose title names 最美科技工作者."""
    shown = (Selection.Stage.PUBLICIZING, Selection.Stage.PUBLISHED)
    selections = list(Selection.objects.filter(campaign=campaign, stage__in=shown).order_by("id"))
    if not selections:
        return []
    number = next(
        (n for n, t in campaign.activities.values_list("number", "title") if t and "最美科技工作者" in t),
        None,
    )
    out = []
    for selection in selections:
        label = _("%(title)s · 公示") % {"title": selection.title}
        out.append(PublicLink(selection, reverse("selections:publicity", args=[selection.pk]), label, number))
        if selection.stage == Selection.Stage.PUBLISHED:
            label = _("%(title)s · 结果公布") % {"title": selection.title}
            out.append(
                PublicLink(selection, reverse("selections:winners", args=[selection.pk]), label, number)
            )
    return out
