"""The statistics in the official layout, from the database: a campaign's workbook (汇总 + 分单位明细 +
one sheet per unit), one unit's table as xlsx or docx, fill-in templates for every unit (blank or
pre-filled), and the per-unit matrix of a whole subtree (a city, a province, the nation) streamed
row by row. The jobs (jobs.py), the pages and the `export-stats` command all call these.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit

from . import selectors
from .excel import UnitValues, export_matrix_streaming, export_unit_docx, export_workbook, write_unit_sheet
from .excel.export import sheet_title
from .formspec import FormSpec
from .models import Report

Progress = Callable[[int, int], None]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_filename(text: str) -> str:
    return _UNSAFE.sub("_", text).strip() or "统计表"


def _spec(campaign: Campaign) -> FormSpec:
    spec = selectors.form_spec(campaign)
    if spec is None:
        raise ValueError(_("「%(title)s」尚未设置统计表") % {"title": campaign.title})
    return spec


def campaign_unit_values(campaign: Campaign, *, approved_only: bool) -> list[UnitValues]:
    """Units whose report is counted (approved, or approved + submitted), in tree order."""
    statuses = set(selectors.counted_statuses(approved_only))
    return [
        UnitValues(code=r.unit.code, name=r.unit.name, values=r.values)
        for r in selectors.unit_rows(campaign)
        if r.report is not None and r.report.status in statuses
    ]


def export_campaign_workbook(
    campaign: Campaign, out: str | IO[bytes], *, approved_only: bool, progress: Progress | None = None
) -> int:
    units = campaign_unit_values(campaign, approved_only=approved_only)
    export_workbook(_spec(campaign), units, out, campaign_title=campaign.title, progress=progress)
    return len(units)


def unit_report_values(campaign: Campaign, unit: OrgUnit) -> dict[str, Decimal | str]:
    report = Report.objects.filter(campaign=campaign, unit=unit).first()
    return selectors.report_values(report) if report else {}


def export_unit(campaign: Campaign, unit: OrgUnit, out: str | IO[bytes], *, fmt: str) -> None:
    """One unit's table as it stands now (whatever its status), in the official layout."""
    spec = _spec(campaign)
    values = unit_report_values(campaign, unit)
    if fmt == "docx":
        export_unit_docx(
            spec, unit_name=unit.name, values=values, campaign_title=campaign.title, path_or_file=out
        )
    else:
        _template_workbook(spec, unit.name, values, campaign.title, validation=False).save(out)


def export_region_docx(campaign: Campaign, out: str | IO[bytes], *, approved_only: bool) -> None:
    """The campaign region's total (the roll-up, as the dashboard shows it) as the official table in Word."""
    from .rollup import rollup

    region = campaign.org_unit
    totals = (
        rollup(year=campaign.year, root=region, approved_only=approved_only, depth=0).get(region.code) or {}
    )
    export_unit_docx(
        _spec(campaign),
        unit_name=f"{region.name}（汇总）",
        values=dict(totals),
        campaign_title=campaign.title,
        path_or_file=out,
    )


def _template_workbook(
    spec: FormSpec, unit_name: str, values: dict, title: str, *, validation: bool
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(unit_name or spec.title, set())
    write_unit_sheet(
        ws, spec, unit_name=unit_name, values=values, campaign_title=title, validation=validation
    )
    wb.properties.title, wb.properties.subject = spec.title, title or None
    wb.properties.creator = "sciweek 科技活动周管理平台"
    return wb


def unit_template(campaign: Campaign, unit: OrgUnit | None, out: str | IO[bytes], *, prefilled: bool) -> None:
    """The table for a unit to fill in and send back: with input prompts, blank or with its current values."""
    values = unit_report_values(campaign, unit) if unit is not None and prefilled else {}
    _template_workbook(
        _spec(campaign), unit.name if unit else "", values, campaign.title, validation=True
    ).save(out)


def export_templates_zip(
    campaign: Campaign, out: str | IO[bytes], *, prefilled: bool, progress: Progress | None = None
) -> int:
    units = list(campaign.participating_units())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, unit in enumerate(units, 1):
            buf = io.BytesIO()
            unit_template(campaign, unit, buf, prefilled=prefilled)
            zf.writestr(f"{n:03d}_{safe_filename(unit.name)}.xlsx", buf.getvalue())
            if progress:
                progress(n, len(units))
    return len(units)


def _matrix_rows(year: int, root: OrgUnit, approved_only: bool) -> Iterator[UnitValues]:
    for (name, code, _path), values in selectors.iter_unit_values(
        year=year, root=root, approved_only=approved_only
    ):
        yield UnitValues(code=code, name=name, values=values)


def export_subtree_matrix(
    *,
    year: int,
    root: OrgUnit,
    out: str | IO[bytes],
    approved_only: bool,
    title: str = "",
    progress: Progress | None = None,
) -> int:
    """分单位明细 of every counted report below ``root`` in ``year`` (across the campaigns of that year)."""
    campaign = (
        Campaign.objects.filter(year=year, org_unit__path__startswith=root.path)
        .order_by("org_unit__depth")
        .first()
        or Campaign.objects.filter(year=year).order_by("-org_unit__depth").first()
    )
    if campaign is None:
        raise ValueError(_("%(year)s年没有活动周") % {"year": year})
    total = Report.objects.filter(campaign__year=year, unit__path__startswith=root.path).count()
    return export_matrix_streaming(
        _spec(campaign),
        _matrix_rows(year, root, approved_only),
        out,
        campaign_title=title or f"{root.name}{year}年科技活动周",
        total=total,
        progress=progress,
    )
