"""Everything a summary says, read from the data: the roll-up's totals (reports.rollup, the same figures
the dashboard shows), the events by mode, category, audience and content theme, highlights with a photo,
what was late or missing, last year's totals, and the sections other domains register
(reports.summary_sections). The result is plain JSON (stored on the draft), so the text, the charts
and the documents rendered later all read one set of numbers.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Q

from sciweek.campaigns.models import Campaign
from sciweek.events.choices import EventStatus, Mode
from sciweek.events.models import Event, EventImage
from sciweek.orgs.models import OrgUnit
from sciweek.reports import selectors
from sciweek.reports.models import Report, ReportAttachment
from sciweek.reports.rollup import clean, rollup, rollup_counts
from sciweek.reports.summary_sections import summary_sections

HIGHLIGHTS = 5
MAX_PHOTOS = 24


def num(value: Decimal | int | None) -> str:
    """A figure as the text writes it: 12.5, 100 (never 1E+2); blank as 0."""
    if value is None:
        return "0"
    return f"{clean(Decimal(value)):f}"


def _form_rows(campaign: Campaign) -> list[dict[str, str]]:
    spec = selectors.form_spec(campaign)
    if spec is None:
        return []
    return [{"code": r.code, "section": r.section, "label": r.label, "unit": r.unit} for r in spec.rows]


def _last_year(campaign: Campaign, node: OrgUnit, approved_only: bool) -> dict[str, str] | None:
    above = [node.path[:i] for i in range(OrgUnit.steplen, len(node.path) + 1, OrgUnit.steplen)]
    exists = Campaign.objects.filter(
        Q(org_unit__path__startswith=node.path) | Q(org_unit__path__in=above), year=campaign.year - 1
    ).exists()
    if not exists:
        return None
    totals = rollup(year=campaign.year - 1, root=node, approved_only=approved_only, depth=0).get(node.code)
    return {code: num(v) for code, v in (totals or {}).items()} if totals else None


def _events(year: int, node: OrgUnit) -> list[Event]:
    return list(
        Event.objects.filter(
            campaign__year=year, unit__path__startswith=node.path, status=EventStatus.APPROVED
        )
        .select_related("unit", "content_theme")
        .only(
            "id",
            "title",
            "mode",
            "category",
            "audiences",
            "starts_at",
            "venue",
            "offline_participants",
            "online_audience",
            "unit__name",
            "content_theme__title",
            "content_theme__number",
        )
        .order_by("starts_at", "id")
    )


def _event_figures(events: list[Event]) -> dict[str, Any]:
    modes = dict(Mode.choices)
    by_mode = Counter(str(modes.get(e.mode, e.mode)) for e in events)
    by_category = Counter(e.category for e in events)
    by_audience = Counter(a for e in events for a in (e.audiences or []))
    by_theme = Counter(e.content_theme.title for e in events if e.content_theme_id)
    return {
        "count": len(events),
        "by_mode": dict(by_mode.most_common()),
        "by_category": dict(by_category.most_common()),
        "by_audience": dict(by_audience.most_common()),
        "by_theme": dict(by_theme.most_common()),
    }


def _photos(events: list[Event], year: int, node: OrgUnit) -> tuple[list[dict], dict[int, str]]:
    """Photos at hand: events' photos (kind photo first), then the photos units attached to their reports."""
    ids = [e.pk for e in events]
    out: list[dict] = []
    first_of_event: dict[int, str] = {}
    titles = {e.pk: e.title for e in events}
    for img in EventImage.objects.filter(event_id__in=ids).order_by("-kind", "id")[: MAX_PHOTOS * 4]:
        key = f"event:{img.pk}"
        first_of_event.setdefault(img.event_id, key)
        if len(out) < MAX_PHOTOS:
            out.append({"key": key, "title": titles.get(img.event_id, ""), "event": img.event_id})
    attachments = (
        ReportAttachment.objects.filter(
            kind=ReportAttachment.Kind.PHOTO,
            report__campaign__year=year,
            report__unit__path__startswith=node.path,
            report__status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED],
        )
        .exclude(file="")
        .select_related("report__unit")
    )
    for att in attachments.order_by("id")[:MAX_PHOTOS]:
        if len(out) >= MAX_PHOTOS:
            break
        out.append({"key": f"report:{att.pk}", "title": att.title or att.report.unit.name, "event": None})
    return out, first_of_event


def _highlights(events: list[Event], first_photo: dict[int, str]) -> list[dict]:
    def reach(e: Event) -> int:
        return (e.offline_participants or 0) + (e.online_audience or 0)

    top = sorted((e for e in events if reach(e)), key=lambda e: (-reach(e), e.pk))[:HIGHLIGHTS]
    return [
        {
            "event": e.pk,
            "title": e.title,
            "unit": e.unit.name,
            "date": f"{e.starts_at.astimezone().month}月{e.starts_at.astimezone().day}日",
            "offline": e.offline_participants or 0,
            "online": e.online_audience or 0,
            "photo": first_photo.get(e.pk, ""),
        }
        for e in top
    ]


def _reporting(campaign: Campaign, node: OrgUnit) -> dict[str, Any]:
    """Who was late or is missing. For a region: its participating units (the campaign's own units
    below ``node``); for a unit: itself."""
    counts = rollup_counts(year=campaign.year, root=node, depth=0).get(node.code)
    reports = Report.objects.filter(campaign__year=campaign.year, unit__path__startswith=node.path)
    late = sorted(reports.filter(is_late=True).values_list("unit__name", flat=True))
    done = set(
        reports.filter(status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED]).values_list(
            "unit_id", flat=True
        )
    )
    units = campaign.participating_units().filter(path__startswith=node.path)
    missing = [u.name for u in units.only("id", "name") if u.pk not in done]
    return {
        "expected": counts.expected if counts else 0,
        "submitted": counts.submitted if counts else 0,
        "approved": counts.approved if counts else 0,
        "late": late,
        "missing": missing,
    }


def organizers(campaign: Campaign) -> str:
    names = [u.name for u in campaign.issuers.all()]
    return "、".join(names) or campaign.issuer_text or campaign.org_unit.name


def gather(*, campaign: Campaign, node: OrgUnit, approved_only: bool = True) -> dict[str, Any]:
    """The figures of ``node`` (a unit, or a region: the campaign's own or one below it) for ``campaign``."""
    year = campaign.year
    totals = rollup(year=year, root=node, approved_only=approved_only, depth=0).get(node.code) or {}
    events = _events(year, node)
    photos, first_photo = _photos(events, year, node)
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "paragraphs": list(s.paragraphs),
            "figures": {k: [num(v), u] for k, (v, u) in s.figures.items()},
        }
        for s in summary_sections(year=year, root=node)
    ]
    return {
        "campaign": campaign.pk,
        "node": node.pk,
        "node_name": node.name,
        "is_region": node.is_area,
        "year": year,
        "title": campaign.title,
        "theme": campaign.theme,
        "start": campaign.start_date.isoformat(),
        "end": campaign.end_date.isoformat(),
        "organizers": organizers(campaign),
        "approved_only": approved_only,
        "rows": _form_rows(campaign),
        "totals": {code: num(v) for code, v in totals.items()},
        "events": _event_figures(events),
        "highlights": _highlights(events, first_photo),
        "photos": photos,
        "reporting": _reporting(campaign, node),
        "last_year": _last_year(campaign, node, approved_only),
        "sections": sections,
    }
