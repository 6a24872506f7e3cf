"""The demo's statistics table (the notice's 附件 as a form definition), and the units' reports as they
stand at the 总结上报 phase (5月30日): approved, submitted, returned with a reason, a draft.

The reports go through the same services as a unit's own (values, attachments, submission, review);
in demo mode the clock is held at each step's moment so the history reads like the week did.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciweek.campaigns.demo_parts import DEMO_ACTOR, DemoContext, register_demo_part
from sciweek.core import clock

from .formspec import SIXIAN_2023_FORM
from .models import form_from_spec
from .services.attachments import attachment_add_file
from .services.entry import CellInput, report_get_or_create, report_save_values
from .services.workflow import report_approve, report_return, report_submit


@register_demo_part("统计表", order=10, essential=True)
def demo_form(ctx: DemoContext) -> None:
    form_from_spec(campaign=ctx.campaign, spec=SIXIAN_2023_FORM)


VALUES = {
    "events_held": 3,
    "fund_fiscal": "2.5",
    "fund_enterprise": "0",
    "fund_in_kind": "0.6",
    "fund_other": "0",
    "staff_fulltime": 3,
    "staff_scientists": 8,
    "staff_volunteers": 20,
    "staff_other": 2,
    "public_offline": 420,
    "public_online": 5200,
    "media_outlets": 2,
    "media_reports": 5,
    "venues_opened": 1,
    "institutes_opened": 0,
    "universities_opened": 0,
}
RETURN_REASON = "「线下活动群众参与数量」与活动记录相差较大，请核实后重新报送。"

# unit (short name or sample town), what happens, (day, hour) of submission, (day, hour) of the review
PLAN = [
    ("县科协", "approve", (27, 16), (28, 10)),
    ("县农业农村局", "submit", (29, 11), None),
    ("县卫健委", "return", (28, 15), (29, 9)),
    ("示例镇二", "submit", (30, 9), None),
    ("县教体局", "draft", None, None),
]


def _at(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour))


def _docx(title: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, 1)
    document.add_paragraph("活动周期间围绕主题开展科普活动，详见统计表。（演示材料）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, title)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@register_demo_part("示例统计表报送", order=60)
def demo_reports(ctx: DemoContext) -> None:
    organizer = get_user_model().objects.get(username="sx-kjj")
    towns = {t.name: t for t in ctx.towns}
    done = []
    for name, what, sent, reviewed in PLAN:
        unit = towns.get(name) or ctx.unit(name)
        with clock.demo_at(_at(*(sent or (29, 10)))):
            report = report_get_or_create(campaign=ctx.campaign, unit=unit, actor=DEMO_ACTOR)
            cells = {code: CellInput(raw=str(v)) for code, v in VALUES.items()}
            if what == "draft":
                cells = dict(list(cells.items())[:5])
            report = report_save_values(
                report=report, actor=organizer, version=report.version, cells=cells
            ).report
            if what == "draft":
                done.append(f"{unit}：草稿")
                continue
            for kind, name_, data in (
                ("summary", "活动总结.docx", _docx(f"{unit.name}科技活动周工作总结")),
                ("stamped", "盖章统计表.pdf", _pdf("Stamped statistics table (demo)")),
            ):
                attachment_add_file(
                    report=report, actor=organizer, kind=kind, upload=SimpleUploadedFile(name_, data)
                )
            report.refresh_from_db()
            report = report_submit(report=report, actor=organizer, version=report.version)
        if reviewed:
            with clock.demo_at(_at(*reviewed)):
                if what == "approve":
                    report_approve(report=report, actor=organizer, version=report.version)
                else:
                    report_return(
                        report=report, actor=organizer, version=report.version, reason=RETURN_REASON
                    )
        done.append(f"{unit}：{ {'approve': '已通过', 'submit': '待审核', 'return': '已退回'}[what] }")
    ctx.lines.append("统计表：" + "；".join(done) + "。")
