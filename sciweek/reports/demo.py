"""The demo's statistics table (the notice's 附件 as a form definition), and five units' reports, which
follow the demo clock's phase (a phase hook, ``campaigns.demo_parts.register_demo_phase``):

- 筹备 (5月19日) and 活动周进行中 (5月20日): no unit has started its table;
- 总结上报 (5月30日 15:00): one approved, two submitted, one returned with a reason, one draft, the rest
  missing;
- 结束后 (6月2日): the five approved, one of them sent after the 5月30日 17:30 deadline (late).

The reports go through the same services as a unit's own (values, attachments, submission, review);
the clock is held at each step's moment so the history reads like the week did. A jump brings these
five units' reports to the phase's state (rebuilt from their steps when they differ, so what a visitor
did to them is undone); every other unit's report, a visitor's own, is left as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from sciweek.campaigns.demo_parts import (
    DEMO_ACTOR,
    DemoContext,
    PhaseChange,
    register_demo_part,
    register_demo_phase,
)
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .formspec import SIXIAN_2023_FORM
from .models import Report, form_from_spec
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

# Each unit's steps, at (month, day, hour, minute) of 2023: "start" saves the first five rows, "fill" the
# rest and the two attachments, then submit / return / approve. A phase shows the steps before its moment.
Step = tuple[str, tuple[int, int, int, int]]
PLAN: dict[str, list[Step]] = {
    "县科协": [("fill", (5, 27, 15, 0)), ("submit", (5, 27, 16, 0)), ("approve", (5, 28, 10, 0))],
    "县农业农村局": [("fill", (5, 29, 10, 0)), ("submit", (5, 29, 11, 0)), ("approve", (5, 31, 9, 0))],
    "县卫健委": [
        ("fill", (5, 28, 14, 0)),
        ("submit", (5, 28, 15, 0)),
        ("return", (5, 29, 9, 0)),
        ("submit", (5, 30, 16, 0)),
        ("approve", (5, 31, 10, 0)),
    ],
    "示例镇二": [("fill", (5, 30, 8, 30)), ("submit", (5, 30, 9, 0)), ("approve", (5, 31, 11, 0))],
    # Late: started before the deadline, sent the next morning.
    "县教体局": [
        ("start", (5, 29, 10, 0)),
        ("fill", (5, 31, 8, 30)),
        ("submit", (5, 31, 9, 0)),
        ("approve", (6, 1, 10, 0)),
    ],
}
ORGANIZER = "sx-kjj"


def _at(when: tuple[int, int, int, int]) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, *when))


@functools.cache
def _docx(title: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, 1)
    document.add_paragraph("活动周期间围绕主题开展科普活动，详见统计表。（演示材料）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
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
    # The records themselves are made by the phase hook below, which the loader runs after the parts.
    ctx.lines.append(
        "统计表："
        + "、".join(PLAN)
        + "的报送随演示阶段变化（总结上报：已通过、待审核、已退回、草稿；结束后：全部通过，一份逾期）。"
    )


State = tuple[str | None, int, int]  # status (None: no report), revisions, attachments


def _state(done: list[Step]) -> State:
    """What the steps ``done`` leave stored."""
    if not done:
        return None, 0, 0
    actions = [action for action, _when in done]
    status = {"start": "draft", "fill": "draft", "submit": "submitted", "return": "returned"}
    return (
        status.get(actions[-1], "approved"),
        sum(a in ("submit", "return", "approve") for a in actions),
        2 if "fill" in actions else 0,
    )


def _remove(report: Report) -> None:
    for attachment in report.attachments.all():
        for stored in (attachment.file, attachment.thumbnail):
            if stored:
                stored.delete(save=False)
    report.delete()


def _replay(
    change: PhaseChange,
    unit: OrgUnit,
    steps: list[Step],
    organizer: object,
    report: Report | None,
    split: bool,
) -> None:
    """Apply ``steps`` to ``report`` (None: create it); ``split``: the unit's values come in two saves."""
    for action, when in steps:
        with clock.demo_at(_at(when)):
            if report is None:
                report = report_get_or_create(campaign=change.campaign, unit=unit, actor=DEMO_ACTOR)
            if action in ("start", "fill"):
                items = list(VALUES.items())
                chosen = items[:5] if action == "start" else items[5:] if split else items
                cells = {code: CellInput(raw=str(v)) for code, v in chosen}
                report = report_save_values(
                    report=report, actor=organizer, version=report.version, cells=cells
                ).report
            if action == "fill":
                for kind, name, data in (
                    ("summary", "活动总结.docx", _docx(f"{unit.name}科技活动周工作总结")),
                    ("stamped", "盖章统计表.pdf", _pdf("Stamped statistics table (demo)")),
                ):
                    attachment_add_file(
                        report=report, actor=organizer, kind=kind, upload=SimpleUploadedFile(name, data)
                    )
                report.refresh_from_db()
            elif action == "submit":
                report = report_submit(report=report, actor=organizer, version=report.version)
            elif action == "return":
                report = report_return(
                    report=report, actor=organizer, version=report.version, reason=RETURN_REASON
                )
            elif action == "approve":
                report = report_approve(report=report, actor=organizer, version=report.version)


@register_demo_phase("示例统计表报送")
def reports_at_phase(change: PhaseChange) -> None:
    """Bring the five demo units' reports to the phase's state; a report already there is left alone."""
    organizer = get_user_model().objects.get(username=ORGANIZER)
    units = {
        u.short_name or u.name: u
        for u in OrgUnit.objects.filter(path__startswith=change.campaign.org_unit.path)
        if (u.short_name or u.name) in PLAN or u.name in PLAN
    }
    units |= {u.name: u for u in units.values()}
    existing = {
        r.unit_id: r
        for r in Report.objects.filter(campaign=change.campaign, unit__in=units.values()).annotate(
            revision_count=Count("revisions", distinct=True),
            attachment_count=Count("attachments", distinct=True),
        )
    }
    for name, steps in PLAN.items():
        unit = units[name]
        target = [step for step in steps if _at(step[1]) <= change.at]
        report = existing.get(unit.pk)
        stored = (report.status, report.revision_count, report.attachment_count) if report else (None, 0, 0)
        if stored == _state(target):
            continue
        # Forward: the stored report is an earlier point of the same life, so only the later steps run.
        # Backward (or changed by a visitor): it is removed and its life replayed up to the phase.
        done = next((k for k in range(len(target), -1, -1) if _state(target[:k]) == stored), None)
        if done is None:
            assert report is not None  # no report is the empty prefix, always found
            _remove(report)
            report, done = None, 0
        _replay(change, unit, target[done:], organizer, report, split=steps[0][0] == "start")
