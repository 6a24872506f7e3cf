"""The report package's files: upload (size-limited while streaming), links, delete, scoped download.

Files are never served from /media: every download checks that the user may see the report.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from sciweek.core.files import KIND_INFO

from .. import services
from ..models import ReportAttachment
from ..services.workflow import unit_link
from .entry import entry_context

INLINE_KINDS = {"pdf", "jpeg", "png", "mp4", "webm", "mov"}


@csrf_exempt  # the size limit must be installed before anything parses the body; CSRF is checked below
@login_required
@require_POST
def upload(request: HttpRequest, report_id: int, kind: str) -> HttpResponse:
    if kind not in services.KIND_RULES:
        raise Http404(_("未知的附件类别"))
    services.install_upload_limit(request, kind)
    return _upload(request, report_id, kind)


@csrf_protect
def _upload(request: HttpRequest, report_id: int, kind: str) -> HttpResponse:
    report = services.access_report_to_fill(request.user, report_id)
    errors: list[str] = []
    files = request.FILES.getlist("file")  # parses the body: the limit handler runs here
    rejected = getattr(request, "sciweek_upload_rejected", None)
    if rejected is not None:
        errors.append(rejected.message)
    if not files and not errors:
        errors.append(f"请选择要上传的「{services.kind_label(kind)}」文件")
    saved = 0
    for upload_file in files:
        try:
            services.attachment_add_file(
                report=report,
                actor=request.user,
                kind=kind,
                upload=upload_file,
                title=request.POST.get("title", ""),
            )
            saved += 1
        except ValidationError as exc:
            name = upload_file.name or ""
            errors += [f"{name}：{m}" if name and len(files) > 1 else m for m in exc.messages]
    return _answer(request, report, kind, saved, errors)


def _answer(request: HttpRequest, report, kind: str, saved: int, errors: list[str]) -> HttpResponse:
    label = services.kind_label(kind)
    if request.headers.get("HX-Request"):
        report.refresh_from_db()
        context = entry_context(
            request, report, attachment_errors={kind: errors}, attachment_saved={kind: saved}
        )
        return render(request, "reports/entry_report.html", context)
    for error in errors:
        messages.error(request, error)
    if saved:
        messages.success(request, (_("已上传%(saved)s个「%(label)s」。") % {"saved": saved, "label": label}))
    return redirect(unit_link(report) + "#attachments")


@login_required
@require_POST
def add_link(request: HttpRequest, report_id: int) -> HttpResponse:
    report = services.access_report_to_fill(request.user, report_id)
    try:
        services.attachment_add_link(
            report=report,
            actor=request.user,
            url=request.POST.get("url", ""),
            title=request.POST.get("title", ""),
        )
    except ValidationError as exc:
        return _answer(request, report, ReportAttachment.Kind.MEDIA, 0, exc.messages)
    return _answer(request, report, ReportAttachment.Kind.MEDIA, 1, [])


@login_required
@require_POST
def delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = services.access_attachment(request.user, attachment_id)
    report = services.access_report_to_fill(request.user, attachment.report_id)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, (_("已删除「%(attachment)s」。") % {"attachment": attachment}))
    return redirect(unit_link(report) + "#attachments")


def _serve(name: str, *, content_kind: str, filename: str, inline: bool) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404(_("文件不存在"))
    info = KIND_INFO.get(content_kind, KIND_INFO["unknown"])
    response = FileResponse(
        default_storage.open(name, "rb"), content_type=info.mime, as_attachment=not inline, filename=filename
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = services.access_attachment(request.user, attachment_id)
    inline = attachment.content_kind in INLINE_KINDS and request.GET.get("download") != "1"
    return _serve(
        attachment.file.name,
        content_kind=attachment.content_kind,
        filename=attachment.original_name or f"附件{attachment.pk}",
        inline=inline,
    )


@login_required
def thumbnail(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = services.access_attachment(request.user, attachment_id)
    return _serve(
        attachment.thumbnail.name, content_kind="jpeg", filename=f"thumb-{attachment.pk}.jpg", inline=True
    )
