"""Figures of the 企业创新服务 dashboards (bureau and per town) and their xlsx export.

A handful of grouped queries over the units in view, whatever their number; the week's filter
(2023-05-20 … 05-31 in the demo) narrows the dated records (visits, service logs); demands, matches and
contracts are counted as they stand.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from openpyxl import Workbook
from openpyxl.styles import Font

from sciweek.core.cells import safe_row
from sciweek.orgs.models import OrgUnit

from .choices import Field, LogKind, Status
from .models import Demand, Enterprise, Match, ServiceLog, Visit

CONTRACTED = [Status.SIGNED, Status.TRACKING, Status.SOLVED]


@dataclass
class Figures:
    units: list[OrgUnit]
    start: dt.date | None
    end: dt.date | None
    enterprises: int = 0
    visits: int = 0
    demands: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_field: dict[str, int] = field(default_factory=dict)
    matches: int = 0
    contracts: int = 0
    contract_amount: Decimal = Decimal(0)
    person_times: int = 0
    people_served: int = 0
    commissioners: int = 0
    per_unit: list[dict[str, Any]] = field(default_factory=list)

    def chart(self) -> dict[str, Any]:
        return {
            "status": [
                {"name": str(label), "value": self.by_status.get(s, 0)} for s, label in Status.choices
            ],
            "field": [
                {"name": str(label), "value": n}
                for s, label in Field.choices
                if (n := self.by_field.get(s, 0))
            ],
            "units": {
                "names": [r["unit"].name for r in self.per_unit],
                "visits": [r["visits"] for r in self.per_unit],
                "demands": [r["demands"] for r in self.per_unit],
                "person_times": [r["person_times"] for r in self.per_unit],
            },
        }


def _dated(qs: Any, name: str, start: dt.date | None, end: dt.date | None) -> Any:
    if start:
        qs = qs.filter(**{f"{name}__gte": start})
    if end:
        qs = qs.filter(**{f"{name}__lte": end})
    return qs


def figures(units: list[OrgUnit], *, start: dt.date | None = None, end: dt.date | None = None) -> Figures:
    ids = [u.pk for u in units]
    f = Figures(units=units, start=start, end=end)
    per: dict[int, dict[str, Any]] = {
        u.pk: {"unit": u, "enterprises": 0, "visits": 0, "demands": 0, "contracts": 0, "amount": Decimal(0), "person_times": 0, "people": 0}
        for u in units
    }  # fmt: skip
    for uid, n in Enterprise.objects.filter(unit_id__in=ids).values_list("unit").annotate(n=Count("id")):
        per[uid]["enterprises"] = n
    for uid, n in (
        _dated(Visit.objects.filter(unit_id__in=ids), "date", start, end)
        .values_list("unit")
        .annotate(n=Count("id"))
    ):
        per[uid]["visits"] = n
    # Demands, matches and contracts as they stand now: a demand runs for months, the week is one of them.
    demands = Demand.objects.filter(unit_id__in=ids)
    for uid, status, fld, n, amount in demands.values_list("unit", "status", "field").annotate(
        n=Count("id"), a=Sum("contract_amount")
    ):
        per[uid]["demands"] += n
        f.by_status[status] = f.by_status.get(status, 0) + n
        f.by_field[fld] = f.by_field.get(fld, 0) + n
        if status in CONTRACTED:
            per[uid]["contracts"] += n
            per[uid]["amount"] += amount or 0
    f.matches = Match.objects.filter(demand__in=demands).count()
    logs = _dated(ServiceLog.objects.filter(unit_id__in=ids), "date", start, end)
    for uid, n, people in logs.values_list("unit").annotate(
        n=Count("id"), p=Sum("people_served", filter=~Q(kind=LogKind.ONLINE))
    ):
        per[uid]["person_times"], per[uid]["people"] = n, people or 0
    f.commissioners = logs.values("expert").distinct().count()
    f.per_unit = [per[u.pk] for u in units]
    for key, attr in (("enterprises", "enterprises"), ("visits", "visits"), ("demands", "demands"), ("contracts", "contracts"),
                      ("amount", "contract_amount"), ("person_times", "person_times"), ("people", "people_served")):  # fmt: skip
        setattr(f, attr, sum((r[key] for r in f.per_unit), Decimal(0) if key == "amount" else 0))
    return f


def export_xlsx(f: Figures) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "按镇汇总"
    head = [
        "镇（街道）/园区",
        "企业数",
        "走访次数",
        "技术需求",
        "签约项目",
        "合同金额（万元）",
        "特派员服务人次",
        "现场服务人数",
    ]
    ws.append(head)
    for r in f.per_unit:
        ws.append(
            safe_row(
                [
                    r["unit"].name,
                    r["enterprises"],
                    r["visits"],
                    r["demands"],
                    r["contracts"],
                    float(r["amount"]),
                    r["person_times"],
                    r["people"],
                ]
            )
        )
    ws.append(
        safe_row(
            [
                "合计",
                f.enterprises,
                f.visits,
                f.demands,
                f.contracts,
                float(f.contract_amount),
                f.person_times,
                f.people_served,
            ]
        )
    )
    ws2 = wb.create_sheet("技术需求")
    ws2.append(
        [
            "需求名称",
            "企业",
            "镇（街道）",
            "技术领域",
            "状态",
            "预算（万元）",
            "合同金额（万元）",
            "技术合同登记编号",
        ]
    )
    for d in (
        Demand.objects.filter(unit__in=f.units)
        .select_related("enterprise", "unit")
        .order_by("unit__path", "id")
    ):
        ws2.append(safe_row([
            d.title, d.enterprise.name, d.unit.name, str(d.get_field_display()), str(d.get_status_display()),
            float(d.budget) if d.budget is not None else None,
            float(d.contract_amount) if d.contract_amount is not None else None, d.contract_number,
        ]))  # fmt: skip
    ws3 = wb.create_sheet("送技下乡")
    ws3.append(
        [
            "日期",
            "科技特派员",
            "服务镇",
            "地点",
            "服务方式",
            "服务人数",
            "时长（小时）",
            "服务内容",
            "关联活动编号",
        ]
    )
    for log in _dated(ServiceLog.objects.filter(unit__in=f.units), "date", f.start, f.end).select_related(
        "expert", "unit"
    ):
        ws3.append(safe_row([
            log.date, log.expert.name, log.unit.name, log.place, str(log.get_kind_display()), log.people_served,
            float(log.hours), log.topics, log.event_id,
        ]))  # fmt: skip
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
