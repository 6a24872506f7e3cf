"""The bureau's side of publicity: the review list, one unit's content beside its board preview,
return / approve, a board's PDF, and the whole set of boards as a job."""

from __future__ import annotations

import io
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sciweek.campaigns.access import access_campaign
from sciweek.core.audit import audit_log
from sciweek.core.forms import posted_version
from sciweek.core.jobs import job_result_expired, job_start
from sciweek.core.models import Job
from sciweek.core.pdffonts import board_fonts
from sciweek.reports.services.access import can_review

from .access import access_submission
from .boards.build import JOB_KIND, BoardResult, board_content, board_filename, board_pdf, board_preview
from .boards.compose import compose
from .boards.sizes import SIZES, TEMPLATES, size_choices, template_choices
from .models import PublicitySubmission
from .publicity.images import image_warnings
from .services import publicity_approve, publicity_return


def _access(request: HttpRequest, submission_id: int) -> PublicitySubmission:
    return access_submission(request.user, submission_id)


def _size_template(request: HttpRequest, sub: PublicitySubmission) -> tuple[str, str]:
    size = request.GET.get("size") or sub.board_size
    template = request.GET.get("layout") or sub.layout
    return (size if size in SIZES else sub.board_size), (template if template in TEMPLATES else sub.layout)


@login_required
@require_GET
def review_list(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    subs = (
        PublicitySubmission.objects.filter(campaign=campaign)
        .exclude(status=PublicitySubmission.Status.DRAFT)
        .select_related("unit")
        .order_by("status", "unit__path")
    )
    counts = {s: subs.filter(status=s).count() for s in PublicitySubmission.Status.values}
    sets = [
        {"job": job, "size": SIZES[job.params["size"]].label if job.params.get("size") in SIZES else ""}
        for job in _board_sets(campaign.pk)[:5]
    ]
    return render(
        request,
        "materials/review_list.html",
        {
            "campaign": campaign,
            "subs": subs,
            "counts": counts,
            "sizes": size_choices(),
            "templates": template_choices(),
            "can_review": can_review(request.user, campaign),
            "sets": sets,
        },
    )


def _board_sets(campaign_id: int) -> list[Job]:
    """Finished board sets of the campaign whose ZIP is still kept, newest first: whoever started them
    (another reviewer, the demo) the bureau finds them here, not only on the starter's job page."""
    jobs = Job.objects.filter(kind=JOB_KIND, params__campaign_id=campaign_id, status=Job.Status.DONE).exclude(
        result_file=""
    )
    return [job for job in jobs.order_by("-finished_at", "-pk")[:20] if not job_result_expired(job)]


@login_required
@require_GET
def boards_set_download(request: HttpRequest, campaign_id: int, job_id: int) -> FileResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    job = next((j for j in _board_sets(campaign.pk) if j.pk == job_id), None)
    if job is None:
        raise Http404(_("展板包不存在或已过期"))
    audit_log(actor=request.user, action="publicity.boards_download", obj=campaign, after={"job": job.pk})
    name = (job.result_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)


@login_required
def review(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _access(request, submission_id)
    allowed = can_review(request.user, sub.campaign)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(_("只有组织单位的审核人员可以审核"))
        version = posted_version(request)
        try:
            if "approve" in request.POST:
                publicity_approve(
                    actor=request.user, submission=sub, version=version, layout=request.POST.get("layout")
                )
                messages.success(request, _("已通过，内容已锁定。"))
            else:
                publicity_return(
                    actor=request.user, submission=sub, version=version, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已退回，单位修改后可重新报送。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("materials:review", sub.pk)
    size, template = _size_template(request, sub)
    images = list(sub.images.all())
    with board_content(sub) as content:
        layout = compose(content, SIZES[size], template, board_fonts(content.all_text()))
    return render(
        request,
        "materials/review.html",
        {
            "sub": sub,
            "campaign": sub.campaign,
            "images": [(i, w) for i, w in ((i, image_warnings(sub, images).get(i.pk, "")) for i in images)],
            "warnings": layout.warnings,
            "body_size": layout.body_size_pt,
            "size": size,
            "template": template,
            "sizes": size_choices(),
            "templates": template_choices(),
            "can_review": allowed,
            "staff": sub.unit.staff.all(),
        },
    )


@login_required
@require_GET
def preview(request: HttpRequest, submission_id: int) -> HttpResponse:
    sub = _access(request, submission_id)
    size, template = _size_template(request, sub)
    out = io.BytesIO()
    board_preview(submission=sub, out=out, size=size, template=template)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def board_download(request: HttpRequest, submission_id: int) -> FileResponse:
    sub = _access(request, submission_id)
    if sub.status != PublicitySubmission.Status.APPROVED:
        raise PermissionDenied(_("审核通过后才能生成印刷文件"))
    size, template = _size_template(request, sub)
    # FileResponse closes it; a big board spills to disk rather than memory.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    result: BoardResult = board_pdf(
        submission=sub, out=spool, size=size, template=template, crop_marks=bool(request.GET.get("marks"))
    )
    audit_log(
        actor=request.user,
        action="publicity.board",
        obj=sub,
        after={"size": size, "warnings": result.warnings},
    )
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=board_filename(sub, size), content_type="application/pdf"
    )


@login_required
@require_POST
def boards_job_start(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    if not can_review(request.user, campaign):
        raise PermissionDenied(_("只有组织单位的审核人员可以生成展板"))
    size = request.POST.get("size", "")
    if size not in SIZES:
        messages.error(request, _("请选择展板尺寸。"))
        return redirect("materials:review_list", campaign.pk)
    template = request.POST.get("layout") or ""
    params = {
        "campaign_id": campaign.pk,
        "size": size,
        "template": template if template in TEMPLATES else "",
        "crop_marks": bool(request.POST.get("marks")),
    }
    job = job_start(kind=JOB_KIND, params=params, owner=request.user)
    audit_log(actor=request.user, action="publicity.boards_job", obj=campaign, after=params)
    return redirect("core:job", job.pk)
