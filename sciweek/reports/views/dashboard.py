"""The bureau's statistics dashboard for one campaign, and the live roll-up over the unit tree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from sciweek.campaigns.access import access_campaign
from sciweek.orgs.access import can_view_unit, is_bureau_member, memberships_of
from sciweek.orgs.models import AREA_KINDS, SUBTREE_ROLES, OrgUnit, UnitKind

from .. import selectors
from ..crosscheck import crosscheck_many
from ..formspec import FormSpec, RowSpec, format_value
from ..rollup import Counts, rollup, rollup_counts

KIND_LABELS = dict(UnitKind.choices)


def _approved_only(request: HttpRequest) -> bool:
    return request.GET.get("scope") == "approved"


def _num(value: Decimal | str | None) -> float | None:
    return float(value) if isinstance(value, Decimal) else None


def _shown(value: Decimal | None, row: RowSpec) -> str:
    return format_value(value, row, grouping=True) if value is not None else "—"


def _change(now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None or before == 0:
        return ""
    pct = (now - before) * 100 / before
    return f"{pct:+.0f}%"


def _report_link(report: Any) -> str:
    """The other engineer's review page for a report, when it exists."""
    try:
        return reverse("reports:report", args=[report.pk])
    except NoReverseMatch:
        return ""


def _totals_table(spec: FormSpec, totals: dict[str, Decimal], prev: dict[str, Decimal] | None) -> list[dict]:
    out = []
    for section, rows in spec.blocks():
        for i, row in enumerate(rows):
            now, before = totals.get(row.code), (prev or {}).get(row.code)
            out.append(
                {
                    "section": section if i == 0 else None,
                    "span": len(rows),
                    "row": row,
                    "total": _shown(now, row),
                    "prev": _shown(before, row) if prev is not None else "",
                    "change": _change(now, before),
                }
            )
    return out


def _chart_data(
    spec: FormSpec,
    rows: list[selectors.UnitRow],
    totals: dict[str, Decimal],
    prev: dict[str, Decimal] | None,
    prev_year: int | None,
    done: selectors.Completeness,
    approved_only: bool,
) -> dict[str, Any]:
    counted = set(selectors.counted_statuses(approved_only))
    return {
        "rows": [
            {"code": r.code, "label": r.label, "unit": r.unit, "money": r.unit == "万元"} for r in spec.rows
        ],
        "units": [
            {"name": u.unit.display_name, "values": {k: _num(v) for k, v in u.values.items()}}
            for u in rows
            if u.report is not None and u.report.status in counted
        ],
        "totals": {k: float(v) for k, v in totals.items()},
        "prev": {k: float(v) for k, v in (prev or {}).items()} if prev is not None else None,
        "prevYear": prev_year,
        "completeness": [
            {"name": "已通过", "value": done.approved},
            {"name": "待审核", "value": done.pending},
            {"name": "已退回", "value": done.returned},
            {"name": "未报送", "value": done.missing},
        ],
    }


@login_required
def campaign_dashboard(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    form = selectors.current_form(campaign)
    if form is None:
        raise Http404(_("该活动周尚未设置统计表"))
    spec = form.to_spec()
    approved_only = _approved_only(request)
    all_rows = selectors.unit_rows(campaign)
    due_at = selectors.report_due_at(campaign)
    done = selectors.completeness(all_rows, due_at=due_at)
    totals = selectors.totals(all_rows, approved_only=approved_only)
    prev_campaign = selectors.previous_campaign(campaign)
    prev = selectors.campaign_totals(prev_campaign, approved_only=approved_only) if prev_campaign else None

    f = {k: (request.GET.get(k) or "").strip() for k in ("state", "kind", "late")}
    shown = selectors.filter_rows(all_rows, state=f["state"], kind=f["kind"], late=f["late"])
    labels = {r.code: r.label for r in spec.rows}
    checks = crosscheck_many(((r.report, r.values) for r in shown if r.report is not None), labels)
    for r in shown:
        if r.report is not None:
            r.crosscheck = checks.get(r.report.pk, [])
            r.link = _report_link(r.report)
    kinds = sorted({r.unit.kind for r in all_rows})
    return render(
        request,
        "reports/dash_campaign.html",
        {
            "campaign": campaign,
            "spec": spec,
            "approved_only": approved_only,
            "done": done,
            "rows": shown,
            "all_count": len(all_rows),
            "f": f,
            "kinds": [(k, KIND_LABELS.get(k, k)) for k in kinds],
            "states": list(selectors.STATE_LABELS.items()),
            "table": _totals_table(spec, totals, prev),
            "prev_campaign": prev_campaign,
            "chart": _chart_data(
                spec,
                all_rows,
                totals,
                prev,
                prev_campaign.year if prev_campaign else None,
                done,
                approved_only,
            ),
            "due_at": due_at,
        },
    )


# ---------------------------------------------------------------------------------------------
# Roll-up over the tree


def default_root(user: Any, campaign: Any) -> OrgUnit:
    """The highest region the user is a bureau member of above the campaign's, else the campaign's."""
    best = campaign.org_unit
    for m in memberships_of(user):
        if (
            m.role in SUBTREE_ROLES
            and campaign.org_unit.path.startswith(m.unit.path)
            and m.unit.depth < best.depth
        ):
            best = m.unit
    return best


def access_root(user: Any, campaign: Any, root_id: str | None) -> OrgUnit:
    if not root_id:
        return default_root(user, campaign)
    try:
        root = OrgUnit.objects.get(pk=int(root_id))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise Http404(_("单位不存在"))
    if not can_view_unit(user, root):
        raise Http404(_("单位不存在"))
    if not is_bureau_member(user, root):
        raise PermissionDenied(_("只有组织单位可以查看汇总"))
    return root


def _breadcrumbs(user: Any, root: OrgUnit) -> list[OrgUnit]:
    return [a for a in root.ancestors_and_self() if is_bureau_member(user, a)]


@login_required
def rollup_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    root = access_root(request.user, campaign, request.GET.get("root"))
    if not is_bureau_member(request.user, root):
        raise PermissionDenied(_("只有组织单位可以查看汇总"))
    approved_only = _approved_only(request)
    spec = selectors.form_spec(campaign)
    if spec is None:
        raise Http404(_("该活动周尚未设置统计表"))
    sums = rollup(year=campaign.year, root=root, approved_only=approved_only, depth=1)
    counts = rollup_counts(year=campaign.year, root=root, depth=1)
    children = list(
        OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("path")
        .only("id", "name", "short_name", "kind", "code", "path", "depth", "numchild")
    )
    rows = []
    for child in children:
        values = sums.get(child.code, {})
        c = counts.get(child.code, Counts())
        if not values and not c.expected:
            continue
        rows.append(
            {
                "unit": child,
                "counts": c,
                "cells": [_shown(values.get(r.code), r) for r in spec.rows],
                "drill": child.numchild > 0 and (child.kind in AREA_KINDS or child.kind == UnitKind.GROUP),
            }
        )
    root_values = sums.get(root.code, {})
    return render(
        request,
        "reports/dash_rollup.html",
        {
            "campaign": campaign,
            "root": root,
            "spec": spec,
            "approved_only": approved_only,
            "rows": rows,
            "root_counts": counts.get(root.code, Counts()),
            "root_cells": [_shown(root_values.get(r.code), r) for r in spec.rows],
            "crumbs": _breadcrumbs(request.user, root),
            "campaign_dash": is_bureau_member(request.user, campaign.org_unit),
            "chart": {
                "rows": [{"code": r.code, "label": r.label, "unit": r.unit} for r in spec.rows],
                "children": [
                    {
                        "name": x["unit"].display_name,
                        "values": {k: float(v) for k, v in sums.get(x["unit"].code, {}).items()},
                    }
                    for x in rows
                ],
            },
        },
    )
