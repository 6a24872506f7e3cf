"""The confirmed media registry as xlsx: every text cell through safe_cell (no formulas from data)."""

from __future__ import annotations

import io

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sciweek.core.cells import safe_row

from ..models import MediaReport

HEADERS = [
    _("序号"),
    _("媒体"),
    _("媒体类型"),
    _("标题"),
    _("发布日期"),
    _("报道形式"),
    _("报道单位"),
    _("链接"),
    _("阅读/观看量"),
    _("状态"),
]


def registry_xlsx(reports: list[MediaReport], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("媒体报道"))
    ws.append(safe_row([title]))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([str(h) for h in HEADERS])
    for n, r in enumerate(reports, start=1):
        ws.append(
            safe_row(
                [
                    n,
                    r.outlet.name,
                    r.outlet.get_kind_display(),
                    r.title,
                    r.published_on.isoformat(),
                    r.get_kind_display(),
                    r.unit.name,
                    r.url,
                    r.reach if r.reach is not None else "",
                    r.get_status_display(),
                ]
            )
        )
    for letter, width in zip("ABCDEFGHIJ", (6, 18, 12, 40, 12, 10, 22, 40, 12, 8), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
