"""Exports and imports of the statistics as background jobs (core/jobs.py): progress and a result file.

Thin wrappers: the work is in exporting.py and importing.py. Params hold ids only; the job re-reads
everything, so a job started by one process can run in another (a Celery worker).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.models import Campaign
from sciweek.core.jobs import JobContext, register_job
from sciweek.core.models import Job
from sciweek.orgs.access import can_view_unit, is_bureau_member
from sciweek.orgs.models import OrgUnit

from . import exporting, import_commit, import_store, importing
from .import_store import IMPORT_COMMIT, IMPORT_PREVIEW
from .services.entry import current_form, form_rows

EXPORT_WORKBOOK = "reports.export_workbook"
EXPORT_MATRIX = "reports.export_matrix"
EXPORT_TEMPLATES = "reports.export_templates"

KIND_TITLES = {
    EXPORT_WORKBOOK: "导出统计表汇总（Excel）",
    EXPORT_MATRIX: "导出分单位明细（Excel）",
    EXPORT_TEMPLATES: "生成各单位填报模板",
    IMPORT_PREVIEW: "读取导入文件",
    IMPORT_COMMIT: "导入统计数据",
}


def _progress(ctx: JobContext, message: str = ""):
    def report(done: int, total: int, *_: Any) -> None:
        ctx.progress(done, total, message)

    return report


def _save_file(ctx: JobContext, filename: str, suffix: str, write) -> dict[str, Any]:
    """Write to a temporary file (never the whole result in memory), then store it as the job's result."""
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="sciweek-export-")
    os.close(fd)
    try:
        result = write(path)
        with open(path, "rb") as fh:
            ctx.job.result_file.save(filename, File(fh, name=filename), save=False)
        Job.objects.filter(pk=ctx.job.pk).update(result_file=ctx.job.result_file.name, message="全部完成")
    finally:
        os.unlink(path)
    return {"filename": filename, **(result or {})}


def _finished(ctx: JobContext) -> None:
    Job.objects.filter(pk=ctx.job.pk).update(message="全部完成")


def _stamp() -> str:
    return timezone.localtime().strftime("_%Y%m%d-%H%M")


def _may_read_export(user: Any, params: dict[str, Any]) -> bool:
    """Still in scope for what the export holds (a job's owner may have lost the role since)."""
    try:
        access_campaign(user, params.get("campaign_id"), bureau=True)
    except (Http404, PermissionDenied):
        return False
    if "root_id" in params:
        root = OrgUnit.objects.filter(pk=params["root_id"]).first()
        return root is not None and can_view_unit(user, root) and is_bureau_member(user, root)
    return True


@register_job(EXPORT_WORKBOOK, may_read=_may_read_export)
def export_workbook_job(ctx: JobContext) -> dict[str, Any]:
    campaign = Campaign.objects.select_related("org_unit").get(pk=ctx.params["campaign_id"])
    approved_only = bool(ctx.params.get("approved_only"))
    scope = "已通过" if approved_only else "已上报"
    filename = exporting.safe_filename(f"{campaign.title}统计表汇总（{scope}）{_stamp()}.xlsx")

    def write(path: str) -> dict[str, Any]:
        n = exporting.export_campaign_workbook(
            campaign, path, approved_only=approved_only, progress=_progress(ctx, "正在写入各单位工作表")
        )
        return {"units": n}

    return _save_file(ctx, filename, ".xlsx", write)


@register_job(EXPORT_MATRIX, may_read=_may_read_export)
def export_matrix_job(ctx: JobContext) -> dict[str, Any]:
    root = OrgUnit.objects.get(pk=ctx.params["root_id"])
    year = int(ctx.params["year"])
    approved_only = bool(ctx.params.get("approved_only"))
    filename = exporting.safe_filename(f"{root.name}{year}年科技活动周分单位明细{_stamp()}.xlsx")

    def write(path: str) -> dict[str, Any]:
        n = exporting.export_subtree_matrix(
            year=year,
            root=root,
            out=path,
            approved_only=approved_only,
            progress=_progress(ctx, "正在写入分单位明细"),
        )
        return {"units": n}

    return _save_file(ctx, filename, ".xlsx", write)


@register_job(EXPORT_TEMPLATES, may_read=_may_read_export)
def export_templates_job(ctx: JobContext) -> dict[str, Any]:
    campaign = Campaign.objects.select_related("org_unit").get(pk=ctx.params["campaign_id"])
    prefilled = bool(ctx.params.get("prefilled"))
    what = "预填模板" if prefilled else "空白模板"
    filename = exporting.safe_filename(f"{campaign.title}各单位统计表{what}{_stamp()}.zip")

    def write(path: str) -> dict[str, Any]:
        return {
            "units": exporting.export_templates_zip(
                campaign, path, prefilled=prefilled, progress=_progress(ctx, "正在生成模板")
            )
        }

    return _save_file(ctx, filename, ".zip", write)


@register_job(IMPORT_PREVIEW)
def import_preview_job(ctx: JobContext) -> dict[str, Any]:
    campaign = Campaign.objects.select_related("org_unit").get(pk=ctx.params["campaign_id"])
    token = ctx.params["token"]
    manifest = import_store.manifest_for(token, user_id=ctx.job.owner_id, campaign_id=campaign.pk)
    form = current_form(campaign)
    if form is None:
        raise ValueError(gettext("本次活动周尚未设置统计表"))
    spec, rows = form.to_spec(), form_rows(form)
    matcher = importing.UnitMatcher(campaign)
    files: list[dict[str, Any]] = []
    total = len(manifest["files"])
    for n, entry in enumerate(manifest["files"], 1):
        if "rejected" in entry:
            files.append(
                {
                    "name": entry["name"],
                    "kind": "rejected",
                    "sheets": [],
                    "problems": [{"where": entry["name"], "message": entry["rejected"], "severity": "error"}],
                }
            )
        else:
            read = importing.import_read(
                campaign=campaign,
                spec=spec,
                rows=rows,
                matcher=matcher,
                files=[(entry["name"], import_store.read_file(token, entry))],
            )
            files += read
            if not importing.sheets_of(read):
                import_store.drop_file(token, entry)  # nothing usable in it: keep the reason, not the bytes
        ctx.progress(n, total, "正在读取文件")
    import_store.write_json(token, "preview.json", {"files": files})
    _finished(ctx)
    sheets = importing.sheets_of(files)
    return {
        "token": token,
        "files": len(files),
        "sheets": len(sheets),
        "matched": sum(1 for _, _, s in sheets if s["unit_id"]),
    }


@register_job(IMPORT_COMMIT)
def import_commit_job(ctx: JobContext) -> dict[str, Any]:
    campaign = Campaign.objects.select_related("org_unit").get(pk=ctx.params["campaign_id"])
    token = ctx.params["token"]
    import_store.manifest_for(token, user_id=ctx.job.owner_id, campaign_id=campaign.pk)
    preview = import_store.read_json(token, "preview.json")
    received = ctx.params.get("received_on")
    try:
        summary = import_commit.import_commit(
            campaign=campaign,
            actor=ctx.job.owner,
            files=preview["files"],
            overwrite_approved=bool(ctx.params.get("overwrite")),
            fingerprint=ctx.params.get("fingerprint"),
            received_on=dt.date.fromisoformat(received) if received else None,
            progress=_progress(ctx, "正在写入"),
        )
    except ValidationError as exc:
        raise RuntimeError("；".join(exc.messages)) from exc
    import_store.discard(token)
    _finished(ctx)
    return {
        "reports": summary.reports,
        "created": summary.created,
        "values": summary.values,
        "submitted": summary.submitted,
    }
