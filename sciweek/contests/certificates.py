"""Award certificates (PDF, CJK font embedded, QR code to the public verification page) and the
推荐项目汇总表 (xlsx, every text cell made safe) sent up to the city."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from sciweek.core import clock
from sciweek.core.cells import safe_row
from sciweek.core.pdffonts import embedded_cjk_font
from sciweek.core.verification import qr_png

from .models import Contest, Entry
from .publication import announced, awarded_rows, recommendation
from .results import RankRow, ranking


def _people(row: RankRow) -> str:
    names = [s.name for s in row.entry.students.all()] or list(row.entry.tutors)
    return "、".join(names)


def _qr_png(url: str) -> ImageReader:
    return ImageReader(io.BytesIO(qr_png(url)))


def certificates_pdf(contest: Contest, rows: list[RankRow], *, verify_url) -> bytes:
    """One landscape A4 page per awarded entry; ``verify_url(entry)`` gives the page its QR code opens."""
    texts = [
        contest.title,
        contest.org_unit.name,
        "荣誉证书同学老师在中荣获特此发证扫码验证年月日作品类别：指导教师：学校：",
    ]
    texts += [
        f"{_people(r)}{r.entry.school.name}{r.entry.title}{r.entry.category.name}{r.award}{''.join(r.entry.tutors)}"
        for r in rows
    ]
    font = embedded_cjk_font("".join(texts) + "0123456789")
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{contest.title} 获奖证书")
    issued = clock.localdate()
    for r in rows:
        e = r.entry
        pdf.setStrokeColor(colors.HexColor("#b8860b"))
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFillColor(colors.HexColor("#9b1c1c"))
        pdf.setFont(font, 40)
        pdf.drawCentredString(width / 2, height - 48 * mm, "荣誉证书")
        pdf.setFillColor(colors.black)
        pdf.setFont(font, 17)
        who = _people(r)
        suffix = "老师" if not e.students.exists() else "同学"
        lines = [
            f"{who} {suffix}：",
            f"在{contest.title}中，作品《{e.title}》",
            f"荣获{e.category.name}{r.award}。",
            "特发此证，以资鼓励。",
        ]
        y = height - 78 * mm
        for i, line in enumerate(lines):
            pdf.drawString(40 * mm if i == 0 else 50 * mm, y, line)
            y -= 13 * mm
        pdf.setFont(font, 11)
        pdf.drawString(
            50 * mm,
            y,
            f"学校：{e.school.name}"
            + (f"    指导教师：{'、'.join(e.tutors)}" if e.tutors and e.students.exists() else ""),
        )
        pdf.setFont(font, 14)
        pdf.drawRightString(width - 40 * mm, 40 * mm, contest.org_unit.name)
        pdf.drawRightString(width - 40 * mm, 31 * mm, f"{issued.year}年{issued.month}月{issued.day}日")
        url = verify_url(e)
        pdf.drawImage(_qr_png(url), 24 * mm, 22 * mm, width=30 * mm, height=30 * mm)
        pdf.setFont(font, 8)
        pdf.drawString(24 * mm, 18 * mm, f"扫码验证 {e.cert_code}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def recommendation_xlsx(contest: Contest) -> bytes:
    """推荐项目汇总表: the entries recommended within each category's quota, counts per category and
    school stage, and the line for the stamp."""
    chosen = recommendation(contest)
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐项目汇总表"
    headers = ["序号", "类别", "学科", "作品名称", "学生", "年级", "学校", "指导教师", "奖项", "成绩"]
    ws.append(safe_row([f"{contest.title}推荐项目汇总表"]))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        safe_row(
            [
                f"推荐单位（盖章）：{contest.org_unit.name}",
                "",
                "",
                "",
                "",
                "",
                f"填报日期：{clock.localdate():%Y年%m月%d日}",
            ]
        )
    )
    ws.append(headers)
    thin = Side(style="thin")
    n = 0
    stages: Counter[tuple[str, str]] = Counter()
    for cat, rows in chosen:
        for r in rows:
            n += 1
            e = r.entry
            students = list(e.students.all())
            stages[(cat.name, students[0].get_school_stage_display() if students else "教师")] += 1
            ws.append(
                safe_row(
                    [
                        n,
                        cat.name,
                        e.discipline,
                        e.title,
                        "、".join(s.name for s in students),
                        "、".join(sorted({s.grade for s in students})),
                        e.school.name,
                        "、".join(e.tutors),
                        r.award,
                        None if r.score is None else round(r.score, 2),
                    ]
                )
            )
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=len(headers)):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.append([])
    ws.append(safe_row(["类别", "学段", "推荐数", "名额"]))
    quotas = {c.name: c.recommend_quota for c in contest.categories.all()}
    for (cat_name, stage), count in sorted(stages.items()):
        ws.append(safe_row([cat_name, stage, count, quotas.get(cat_name, 0)]))
    ws.append(safe_row(["合计", "", n, sum(quotas.values())]))
    ws.append([])
    ws.append(safe_row(["推荐单位（盖章）：", "", "", "负责人：", "", "填表人：", "", "联系电话："]))
    for col, w in zip("ABCDEFGHIJ", [6, 22, 12, 30, 16, 10, 20, 14, 10, 8], strict=True):
        ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def awarded_for_certificates(contest: Contest, entry_ids: set[int] | None = None) -> list[RankRow]:
    rows = [r for _cat, rs in awarded_rows(contest) for r in rs]
    return [r for r in rows if entry_ids is None or r.entry.pk in entry_ids]


def certificate_rows_for(
    *, contest: Contest, user: Any, roles: set[str], entry_id: int | None
) -> list[RankRow]:
    """The certificates a caller may download: every award for staff, a school's own awards for the
    school once the results are published (公布) — before that an award may still change, and a school
    holding a certificate would know it before everyone else; staff print ahead for the ceremony.
    ``entry_id`` narrows to one entry (outside the caller's entries: none)."""
    from .access import ORGANIZER, VIEWER, schools_of

    ids: set[int] | None = None
    if not roles & {ORGANIZER, VIEWER}:
        if not announced(contest):
            return []
        schools = schools_of(user, contest)
        ids = set(contest.entries.filter(school__in=schools).values_list("pk", flat=True))
    if entry_id is not None:
        ids = {entry_id} & ids if ids is not None else {entry_id}
    return awarded_for_certificates(contest, ids)


def no_certificates_reason(contest: Contest) -> str:
    """Why a download found nothing, for the 404 the caller sees."""
    if not announced(contest):
        return _("成绩尚未公布：学校在公布后可下载获奖证书")
    return _("暂无获奖作品")


def certificate_verify(code: str) -> tuple[Entry, RankRow] | None:
    """What a certificate's QR code proves: its entry and award as recorded now, or None (unknown code,
    vetoed entry, unpublished campaign, results not yet published, no award)."""
    entry = (
        Entry.objects.select_related("contest__campaign", "category", "school").filter(cert_code=code).first()
    )
    if entry is None or entry.status == Entry.Status.VETOED or not entry.contest.campaign.is_public:
        return None
    if not announced(entry.contest):
        return None
    row = next((r for r in ranking(entry.contest).get(entry.category_id, []) if r.entry.pk == entry.pk), None)
    if row is None or not row.award:
        return None
    return entry, row


def certificates_download(request: Any, contest: Contest, rows: list[RankRow]) -> HttpResponse:
    """The certificates as one PDF attachment, each QR code pointing at this site's verification page
    (the page and the API answer with the same file)."""
    pdf = certificates_pdf(
        contest,
        rows,
        verify_url=lambda e: request.build_absolute_uri(reverse("contests:verify", args=[e.cert_code])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=certificates-{contest.pk}.pdf"
    return response
