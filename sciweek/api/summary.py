"""After the week, for scripts: the roll-up of a campaign at any node (the dashboard's totals), exports
as jobs (start, poll, download) and the 活动总结 (draft, edit with version, render as a job). Sending up
is in sendups.py, the audit log in audit.py.

Same scopes as the pages (summary.services.access_summary, summary.sendup.access_*, the reports'
dashboard root): out of scope 404, in scope but not allowed 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sciweek.campaigns.access import access_campaign
from sciweek.core.jobs import job_start
from sciweek.core.models import Job
from sciweek.reports import jobs as report_jobs
from sciweek.reports.rollup import rollup, rollup_counts
from sciweek.reports.views.dashboard import access_root
from sciweek.summary.jobs import RENDER
from sciweek.summary.models import SummaryDraft
from sciweek.summary.services import access_summary, summary_generate, summary_update

from .common import ERRORS, WRITE_ERRORS, InSchema

router = Router(tags=["summary"])


class RollupNodeOut(Schema):
    unit_id: int
    code: str
    name: str
    totals: dict[str, str]
    expected: int
    submitted: int
    approved: int


class RollupOut(Schema):
    campaign_id: int
    approved_only: bool
    node: RollupNodeOut
    children: list[RollupNodeOut]


def _num(v: Any) -> str:
    from sciweek.summary.data import num

    return num(v)


@router.get("/campaigns/{int:campaign_id}/rollup", response={200: RollupOut, **ERRORS})
def campaign_rollup(request, campaign_id: int, node: int | None = None, approved_only: bool = False):
    """Totals of ``node`` (default: the campaign's region) and of each node one level below it."""
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    root = access_root(request.user, campaign, str(node) if node else None)
    totals = rollup(year=campaign.year, root=root, approved_only=approved_only, depth=1)
    counts = rollup_counts(year=campaign.year, root=root, depth=1)
    from sciweek.orgs.models import OrgUnit

    nodes = list(
        OrgUnit.objects.filter(path__startswith=root.path, depth__lte=root.depth + 1).order_by("path")
    )

    def out(u: OrgUnit) -> dict[str, Any]:
        c = counts.get(u.code)
        return {
            "unit_id": u.pk,
            "code": u.code,
            "name": u.name,
            "totals": {k: _num(v) for k, v in (totals.get(u.code) or {}).items()},
            "expected": c.expected if c else 0,
            "submitted": c.submitted if c else 0,
            "approved": c.approved if c else 0,
        }

    return {
        "campaign_id": campaign.pk,
        "approved_only": approved_only,
        "node": out(root),
        "children": [out(u) for u in nodes if u.pk != root.pk],
    }


class SummaryJobOut(Schema):
    id: int
    kind: str
    status: str
    progress_done: int
    progress_total: int
    message: str
    result: dict | None
    download_url: str | None


def _job(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "message": job.message,
        "result": job.result,
        "download_url": f"/api/v1/summary/jobs/{job.pk}/file" if job.result_file else None,
    }


class SummaryExportIn(InSchema):
    kind: str = Field(
        ..., description="workbook（全部单位汇总 Excel）/ matrix（分单位明细）/ templates（填报模板）"
    )
    approved_only: bool = False
    node: int | None = Field(None, description="matrix 的汇总范围（单位编号）")


@router.post("/campaigns/{int:campaign_id}/exports", response={202: SummaryJobOut, **ERRORS})
def export_start(request, campaign_id: int, payload: SummaryExportIn):
    campaign = access_campaign(request.user, campaign_id, bureau=True)
    params: dict[str, Any] = {"campaign_id": campaign.pk, "approved_only": payload.approved_only}
    kinds = {
        "workbook": report_jobs.EXPORT_WORKBOOK,
        "templates": report_jobs.EXPORT_TEMPLATES,
        "matrix": report_jobs.EXPORT_MATRIX,
    }
    if payload.kind not in kinds:
        raise ValidationError({"kind": [_("应为 workbook、matrix 或 templates")]})
    if payload.kind == "matrix":
        root = access_root(request.user, campaign, str(payload.node) if payload.node else None)
        params["root_id"], params["year"] = root.pk, campaign.year
    return Status(202, _job(job_start(kind=kinds[payload.kind], params=params, owner=request.user)))


def _own_job(request, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id, owner=request.user).first()
    if job is None:
        raise Http404(_("任务不存在"))
    return job


@router.get("/jobs/{int:job_id}", response={200: SummaryJobOut, **ERRORS})
def job_poll(request, job_id: int):
    return _job(_own_job(request, job_id))


@router.get("/jobs/{int:job_id}/file", response={200: None, **ERRORS})
def job_file(request, job_id: int):
    job = _own_job(request, job_id)
    if not job.result_file:
        raise Http404(_("任务尚未完成或没有文件"))
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=(job.result_file.name or "").rsplit("/", 1)[-1],
    )


class SummaryBlock(Schema):
    style: str = Field(..., description="h1 一、/ h2 （一）/ h3 1. / h4 （1）/ p 正文")
    text: str = Field(..., max_length=5000)


class SummaryOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    title: str
    version: int
    edited: bool
    blocks: list[SummaryBlock]
    charts: list[str]
    photos: list[str]
    signature: str
    sign_date: dt.date | None
    figures: dict


def _summary(d: SummaryDraft) -> dict[str, Any]:
    return {
        "id": d.pk,
        "campaign_id": d.campaign_id,
        "unit_id": d.unit_id,
        "title": d.title,
        "version": d.version,
        "edited": d.edited,
        "blocks": d.blocks,
        "charts": d.charts,
        "photos": d.photos,
        "signature": d.signature,
        "sign_date": d.sign_date,
        "figures": d.figures,
    }


@router.get("/campaigns/{int:campaign_id}/summary", response={200: SummaryOut, **ERRORS})
def summary_get(request, campaign_id: int, unit: int | None = None):
    campaign, node = access_summary(request.user, campaign_id, unit)
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    if draft is None:
        raise Http404(_("尚未生成活动总结：POST …/summary/generate"))
    return _summary(draft)


@router.post("/campaigns/{int:campaign_id}/summary/generate", response={200: SummaryOut, **WRITE_ERRORS})
def summary_draft(request, campaign_id: int, unit: int | None = None, approved_only: bool = True):
    campaign, node = access_summary(request.user, campaign_id, unit, edit=True)
    return _summary(
        summary_generate(campaign=campaign, node=node, actor=request.user, approved_only=approved_only)
    )


class SummaryIn(InSchema):
    version: int = Field(..., ge=1, le=2_147_483_647)
    title: str | None = Field(None, max_length=200)
    blocks: list[SummaryBlock] | None = Field(None, max_length=300)
    charts: list[str] | None = None
    photos: list[str] | None = None
    signature: str | None = Field(None, max_length=200)
    sign_date: dt.date | None = None


@router.put("/campaigns/{int:campaign_id}/summary", response={200: SummaryOut, **WRITE_ERRORS})
def summary_edit(request, campaign_id: int, payload: SummaryIn, unit: int | None = None):
    campaign, node = access_summary(request.user, campaign_id, unit, edit=True)
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    if draft is None:
        raise Http404(_("尚未生成活动总结"))
    return _summary(
        summary_update(
            draft=draft,
            actor=request.user,
            version=payload.version,
            title=payload.title,
            blocks=[b.dict() for b in payload.blocks] if payload.blocks is not None else None,
            charts_kept=payload.charts,
            photos_kept=payload.photos,
            signature=payload.signature,
            sign_date=payload.sign_date,
        )
    )


@router.post("/campaigns/{int:campaign_id}/summary/render", response={202: SummaryJobOut, **ERRORS})
def summary_render(request, campaign_id: int, format: str = "docx", unit: int | None = None):  # noqa: A002
    campaign, node = access_summary(request.user, campaign_id, unit)
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    if draft is None:
        raise Http404(_("尚未生成活动总结"))
    if format not in ("docx", "pdf"):
        raise ValidationError({"format": [_("应为 docx 或 pdf")]})
    job = job_start(kind=RENDER, params={"draft_id": draft.pk, "format": format}, owner=request.user)
    return Status(202, _job(job))
