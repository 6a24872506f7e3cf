"""The notice on the portal: its text as a page, the original file, the blank statistics table."""

from __future__ import annotations

import io

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sciweek.campaigns.models import Campaign
from sciweek.notices.document import parse_notice_text
from sciweek.reports.excel.export import blank_template
from sciweek.reports.excel.word import export_unit_docx
from sciweek.reports.exporting import DOCX_MIME, XLSX_MIME, safe_filename
from sciweek.reports.selectors import form_spec


def _public(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_related("org_unit").filter(pk=campaign_id).first()
    if campaign is None or not campaign.is_public:  # publishing the campaign publishes its notice
        raise Http404(_("活动周不存在或尚未发布"))
    return campaign


@require_GET
def notice_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _public(campaign_id)
    if not campaign.notice_text and not campaign.notice_file:
        raise Http404(_("本届活动周未登记通知全文"))
    return render(
        request,
        "portal/notice.html",
        {
            "campaign": campaign,
            "doc": parse_notice_text(campaign.notice_text),
            "has_table": form_spec(campaign) is not None,
        },
    )


@require_GET
def notice_original(request: HttpRequest, campaign_id: int) -> FileResponse:
    campaign = _public(campaign_id)
    if not campaign.notice_file:
        raise Http404(_("没有通知原件"))
    ext = campaign.notice_file.name.rsplit(".", 1)[-1].lower()
    name = f"{safe_filename(campaign.title)}通知.{ext}"
    return FileResponse(campaign.notice_file.open("rb"), as_attachment=True, filename=name)


@require_GET
def notice_table(request: HttpRequest, campaign_id: int, fmt: str) -> HttpResponse:
    campaign = _public(campaign_id)
    spec = form_spec(campaign)
    if spec is None:
        raise Http404(_("本届活动周尚未设置统计表"))
    out = io.BytesIO()
    if fmt not in ("xlsx", "docx"):
        raise Http404(_("不支持的格式"))
    if fmt == "docx":
        export_unit_docx(spec, unit_name="", values={}, campaign_title=campaign.title, path_or_file=out)
        mime = DOCX_MIME
    else:
        blank_template(spec, "", campaign.title, path_or_file=out)
        mime = XLSX_MIME
    response = HttpResponse(out.getvalue(), content_type=mime)
    filename = f"{safe_filename(spec.title)}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
