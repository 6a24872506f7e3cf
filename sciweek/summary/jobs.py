"""Rendering a summary as a background job (charts and photos take seconds): progress, result file."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sciweek.core.jobs import JobContext, register_job

from .models import SummaryDraft
from .render import render_docx, render_pdf

RENDER = "summary.render"


@register_job(RENDER)
def render_job(ctx: JobContext) -> dict[str, Any]:
    draft = SummaryDraft.objects.select_related("unit").get(pk=ctx.params["draft_id"])
    fmt = ctx.params.get("format", "docx")
    if fmt == "pdf":
        ctx.progress(0, 1, _("正在生成 PDF"))
        data = render_pdf(draft)
    else:
        data = render_docx(
            draft, progress=lambda done, total: ctx.progress(done, total + 1, _("正在绘制图表和照片"))
        )
    ctx.save_result_file(f"summary-{draft.unit.code}-v{draft.version}.{fmt}", data)
    ctx.progress(1, 1, _("已完成"))
    return {"draft": draft.pk, "version": draft.version, "format": fmt}
