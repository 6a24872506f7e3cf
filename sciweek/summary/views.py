"""Pages: the summary editor (paragraphs, charts and photos to keep, version check) with .docx / .pdf
downloads; the county's send-up page; the city's review queue and one send-up (mapping, diff, review)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.core.files import KIND_INFO
from sciweek.core.forms import posted_version
from sciweek.core.templatetags.sciweek import format_cn_date
from sciweek.orgs.access import can_manage_unit
from sciweek.reports.models import ReportAttachment

from . import charts, sendup, snapshot_files
from .mapping import differs
from .models import SendUp, SummaryDraft
from .photos import scaled_photo
from .render import pdf_engine, render_docx, render_pdf
from .services import access_summary, can_edit_summary, summary_generate, summary_update

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def _back(campaign_id: int, unit_id: str | None) -> str:
    url = reverse("summary:edit", args=[campaign_id])
    return f"{url}?unit={unit_id}" if unit_id else url


@login_required
def edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    unit_id = request.GET.get("unit") or request.POST.get("unit") or None
    campaign, node = access_summary(request.user, campaign_id, unit_id)
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    editable = can_edit_summary(request.user, node)
    if request.method == "POST":
        access_summary(request.user, campaign_id, unit_id, edit=True)  # 403 for those who only read
        if request.POST.get("action") == "generate" or draft is None:
            summary_generate(campaign=campaign, node=node, actor=request.user)
            messages.success(request, _("已按当前数据生成初稿"))
            return redirect(_back(campaign.pk, unit_id))
        styles, texts = request.POST.getlist("style"), request.POST.getlist("text")
        blocks = [{"style": st, "text": t} for st, t in zip(styles, texts, strict=False)]
        sign = request.POST.get("sign_date") or ""
        try:
            summary_update(
                draft=draft,
                actor=request.user,
                version=posted_version(request) or 0,  # not a number: the stale message
                title=request.POST.get("title", ""),
                blocks=blocks,
                charts_kept=request.POST.getlist("chart"),
                photos_kept=request.POST.getlist("photo"),
                signature=request.POST.get("signature", ""),
                sign_date=dt.date.fromisoformat(sign) if sign else None,
            )
        except (ValueError, ValidationError) as exc:
            messages.error(
                request, _errors(exc) if isinstance(exc, ValidationError) else _("成文日期格式不正确")
            )
            # Drawn again with what was typed (nothing saved): a refused save never throws the text away.
            draft = _as_typed(draft, request, blocks)
            status = 400
        else:
            messages.success(request, _("已保存"))
            return redirect(_back(campaign.pk, unit_id))
    else:
        status = 200
    photos = []
    if draft:
        seen = set()
        for p in [
            *draft.figures.get("photos", []),
            *(
                {"key": h["photo"], "title": h["title"]}
                for h in draft.figures.get("highlights", [])
                if h["photo"]
            ),
        ]:
            if p["key"] not in seen:
                seen.add(p["key"])
                photos.append(p)
    return render(
        request,
        "summary/edit.html",
        {
            "campaign": campaign,
            "node": node,
            "draft": draft,
            "editable": editable,
            "unit_id": unit_id or "",
            "charts": charts.available(draft.figures) if draft else [],
            "photos": photos,
            "pdf_engine": pdf_engine(),
            "can_send": node.pk == campaign.org_unit_id and can_manage_unit(request.user, node),
        },
        status=status,
    )


def _as_typed(draft: SummaryDraft, request: HttpRequest, blocks: list[dict[str, str]]) -> SummaryDraft:
    """An unsaved copy of ``draft`` holding the posted fields, its version the one the form was loaded
    with (after a version conflict the next save is refused again until the page is reloaded)."""
    shown = copy.copy(draft)
    shown.title = request.POST.get("title", "")
    shown.blocks = blocks
    shown.charts = request.POST.getlist("chart")
    shown.photos = request.POST.getlist("photo")
    shown.signature = request.POST.get("signature", "")
    shown.version = posted_version(request) or draft.version
    try:
        shown.sign_date = dt.date.fromisoformat(request.POST.get("sign_date") or "") or None
    except ValueError:
        shown.sign_date = None
    return shown


@login_required
@require_GET
def download(request: HttpRequest, campaign_id: int, fmt: str) -> HttpResponse:
    campaign, node = access_summary(request.user, campaign_id, request.GET.get("unit"))
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    if draft is None:
        raise Http404(_("尚未生成活动总结"))
    if fmt == "pdf":
        data, mime = render_pdf(draft), "application/pdf"
    else:
        data, mime = render_docx(draft), DOCX
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''summary.{fmt}"
    return response


@login_required
@require_GET
def chart(request: HttpRequest, campaign_id: int, key: str) -> HttpResponse:
    campaign, node = access_summary(request.user, campaign_id, request.GET.get("unit"))
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    if draft is None or key not in charts.CHARTS:
        raise Http404(_("没有这张图"))
    png = charts.render(key, draft.figures)
    if png is None:
        raise Http404(_("没有这张图"))
    return HttpResponse(png, content_type="image/png")


@login_required
@require_GET
def photo(request: HttpRequest, campaign_id: int, key: str) -> HttpResponse:
    campaign, node = access_summary(request.user, campaign_id, request.GET.get("unit"))
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    keys = {p["key"] for p in (draft.figures.get("photos", []) if draft else [])} | {
        h["photo"] for h in (draft.figures.get("highlights", []) if draft else [])
    }
    if key not in keys:
        raise Http404(_("没有这张照片"))
    small = scaled_photo(key, 480)
    if small is None:
        raise Http404(_("照片无法读取"))
    return HttpResponse(small, content_type="image/jpeg")


@login_required
def send_home(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The county's side: what goes up, the versions sent and their review."""
    source = access_campaign(request.user, campaign_id, bureau=True)
    target = sendup.target_of(source)
    if request.method == "POST":
        try:
            s = sendup.sendup_send(
                source=source,
                actor=request.user,
                media=[int(x) for x in request.POST.getlist("media") if x.isdigit()],
                note=request.POST.get("note", ""),
                # the last version this page showed: a second click (or a second tab) sends nothing new
                after=int(request.POST["after"]) if request.POST.get("after", "").isdigit() else None,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("summary:send", source.pk)
        messages.success(request, _("已上报第%(n)s版") % {"n": s.number})
        return redirect("summary:sendup", s.pk)
    versions = list(SendUp.objects.filter(source=source).select_related("target").order_by("-number"))
    stale = sendup.outdated_ids(versions[:1])
    media = (
        ReportAttachment.objects.filter(
            report__campaign=source,
            report__status="approved",
            kind__in=[ReportAttachment.Kind.PHOTO, ReportAttachment.Kind.VIDEO],
        )
        .select_related("report__unit")
        .order_by("kind", "id")[:200]
    )
    return render(
        request,
        "summary/send_home.html",
        {
            "campaign": source,
            "target": target,
            "versions": versions,
            "stale": stale,
            "media": media,
            "can_send": can_manage_unit(request.user, source.org_unit) and target is not None,
            "pending": source.reports.filter(status__in=["submitted", "head_review"]).count(),
            "approved": source.reports.filter(status="approved").count(),
        },
    )


_BADGE = {"approved": "success", "returned": "danger", "sent": "primary"}


def _version_row(v: SendUp) -> dict[str, Any]:
    """One version in a list: its state and the link to its page at the diff with the one before."""
    sent = timezone.localtime(v.sent_at)
    return {
        "label": _("第%(n)s版") % {"n": v.number},
        "state": v.get_status_display(),
        "badge": _BADGE.get(v.status, "secondary"),
        "when": f"{format_cn_date(sent)} {sent:%H:%M}",
        "url": f"/summary/sendup/{v.pk}/" + ("#diff" if v.number > 1 else ""),
        "diff": v.number > 1,
    }


@login_required
@require_GET
def queue(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The city's side: every county with its latest send-up. Rows are prepared here as plain text: a
    province's hundred regions through template tags per row cost more than the queries."""
    target = access_campaign(request.user, campaign_id, bureau=True)
    counts = {"sent": 0, "approved": 0, "returned": 0, "none": 0, "outdated": 0}
    rows = []
    for r in sendup.review_queue(target):
        s = r["sendup"]
        state = s.status if s else "none"
        counts[state] = counts.get(state, 0) + 1
        counts["outdated"] += r["outdated"]
        rows.append(
            {
                "name": r["region"].name,
                "sample": r["region"].is_sample,
                "sent": s is not None,
                "state": state,
                "badge": _BADGE.get(state, "secondary"),
                "label": s.get_status_display() if s else "",
                "when": _("第%(n)s版") % {"n": s.number}
                + f" · {format_cn_date(timezone.localtime(s.sent_at))} {timezone.localtime(s.sent_at):%H:%M}"
                if s
                else "",
                "outdated": r["outdated"],
                "url": f"/summary/sendup/{s.pk}/" if s else "",
                "figures": " · ".join(f"{label} {value}{unit}" for label, value, unit in r["figures"]),
                "versions": [_version_row(v) for v in r["versions"]] if len(r["versions"]) > 1 else [],
            }
        )
    return render(request, "summary/queue.html", {"campaign": target, "rows": rows, "counts": counts})


@login_required
@require_GET
def detail(request: HttpRequest, sendup_id: int) -> HttpResponse:
    s = sendup.access_sendup(request.user, sendup_id)
    prev = sendup.previous(s)
    latest = SendUp.objects.filter(target=s.target_id, region=s.region_id).order_by("-number").first()
    labels = {m["target_code"]: m["target_label"] for m in s.mapping if m["target_code"]}
    from sciweek.reports import selectors

    spec = selectors.form_spec(s.target)
    rows = (
        [(r.label, r.unit, s.table.get(r.code, "")) for r in spec.rows]
        if spec
        else [(labels.get(c, c), "", v) for c, v in s.table.items()]
    )
    return render(
        request,
        "summary/detail.html",
        {
            "s": s,
            "prev": prev,
            "diff": sendup.diff(prev, s),
            "rows": rows,
            "mapping_differs": differs(s.mapping),
            "outdated": s.pk in sendup.outdated_ids([s]),
            "is_latest": latest is not None and latest.pk == s.pk,
            "can_review": can_manage_unit(request.user, s.target.org_unit) and s.status == SendUp.Status.SENT,
            "versions": SendUp.objects.filter(target=s.target_id, region=s.region_id).order_by("-number"),
        },
    )


@login_required
@require_POST
def review(request: HttpRequest, sendup_id: int) -> HttpResponse:
    s = sendup.access_sendup(request.user, sendup_id, review=True)
    try:
        version = posted_version(request)
        if request.POST.get("action") == "approve":
            sendup.sendup_approve(sendup=s, actor=request.user, version=version)
            messages.success(request, _("已审核通过"))
        else:
            sendup.sendup_return(
                sendup=s, actor=request.user, reason=request.POST.get("reason", ""), version=version
            )
            messages.success(request, _("已退回"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("summary:sendup", s.pk)


@login_required
@require_GET
def sendup_file(request: HttpRequest, sendup_id: int) -> HttpResponse:
    s = sendup.access_sendup(request.user, sendup_id)
    if not s.summary_file:
        raise Http404(_("这份上报没有附活动总结"))
    return FileResponse(
        s.summary_file.open("rb"),
        as_attachment=True,
        filename=_("%(region)s%(year)s年科技活动周工作总结（第%(n)s版）.docx")
        % {"region": s.region.name, "year": s.source.year, "n": s.number},
    )


@login_required
@require_GET
def sendup_media(request: HttpRequest, sendup_id: int, sha256: str) -> FileResponse:
    """One photo or video of the snapshot, from the snapshot's own copy (never the unit's upload)."""
    s = sendup.access_sendup(request.user, sendup_id)
    copy = snapshot_files.find(s.media, sha256)
    if copy is None or not copy.file.name or not default_storage.exists(copy.file.name):
        raise Http404(_("这份上报没有这个文件"))
    info = KIND_INFO.get(copy.content_kind, KIND_INFO["unknown"])
    response = FileResponse(
        default_storage.open(copy.file.name, "rb"),
        content_type=info.mime,
        as_attachment=request.GET.get("download") == "1",
        filename=f"{s.region.name}-v{s.number}-{sha256[:12]}{info.extension}",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    response["Cache-Control"] = "private, max-age=86400, immutable"  # the bytes behind a hash never change
    return response
