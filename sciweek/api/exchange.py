"""Filled statistics tables sent in by units, imported by script: upload (a preview job reads them),
look at the preview (which unit each sheet is, what would change, what is wrong), confirm (a commit job,
all or nothing). The same stores, jobs and checks as the 数据交换 page (reports/import_store.py,
reports/importing.py); the upload's owner is its key (no browser session needed)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from sciweek.campaigns.access import access_campaign
from sciweek.core.files import UploadRejected
from sciweek.core.jobs import job_start
from sciweek.reports import import_store, importing, jobs
from sciweek.reports.services.entry import current_form, form_rows

from .common import ERRORS, InSchema
from .summary import SummaryJobOut, _job

router = Router(tags=["exchange"])


class ImportStartOut(Schema):
    token: str
    job: SummaryJobOut


@router.post("/campaigns/{int:campaign_id}/imports", response={202: ImportStartOut, **ERRORS})
def import_upload(request, campaign_id: int, files: list[UploadedFile] | None = File(None)):  # noqa: B008
    campaign = access_campaign(request.user, campaign_id, manage=True)
    if not files:
        raise ValidationError(
            {"files": [_("请选择要导入的统计表文件（.xlsx / .docx，或它们的 ZIP 压缩包）")]}
        )
    if len(files) > import_store.MAX_FILES:
        raise ValidationError(
            {"files": [(_("一次最多上传 %(max_files)s 个文件") % {"max_files": import_store.MAX_FILES})]}
        )
    token = import_store.new_token()
    try:
        import_store.store_uploads(
            token=token, uploads=files, owner_id=request.user.pk, campaign_id=campaign.pk
        )
    except UploadRejected as exc:
        raise ValidationError({"files": [exc.message]})
    job = job_start(
        kind=jobs.IMPORT_PREVIEW, params={"campaign_id": campaign.pk, "token": token}, owner=request.user
    )
    return Status(202, {"token": token, "job": _job(job)})


class ChangeOut(Schema):
    code: str
    label: str
    before: str
    after: str


class SheetOut(Schema):
    index: int
    file: str
    sheet: str
    unit_id: int | None
    unit_name: str
    changes: list[ChangeOut]


class PreviewOut(Schema):
    token: str
    ready: bool
    errors: list[str]
    problems: list[dict]
    fingerprint: str
    sheets: list[SheetOut]


def _preview(request, campaign_id: int, token: str) -> tuple[Any, dict, Any]:
    campaign = access_campaign(request.user, campaign_id, manage=True)
    import_store.manifest_for(token, user_id=request.user.pk, campaign_id=campaign.pk)
    try:
        preview = import_store.read_json(token, "preview.json")
    except (Http404, FileNotFoundError, OSError):
        raise Http404(_("预览尚未生成：请等待读取任务完成"))
    return campaign, preview, current_form(campaign)


def _plan(campaign: Any, preview: dict, form: Any) -> Any:
    return importing.import_plan(
        campaign=campaign,
        rows=form_rows(form),
        files=preview["files"],
        overwrite_approved=bool(preview.get("overwrite")),
    )


@router.get("/campaigns/{int:campaign_id}/imports/{token}", response={200: PreviewOut, **ERRORS})
def import_preview(request, campaign_id: int, token: str):
    campaign, preview, form = _preview(request, campaign_id, token)
    plan = _plan(campaign, preview, form)
    return {
        "token": token,
        "ready": not plan.errors,
        "errors": plan.errors,
        "fingerprint": plan.fingerprint,
        "problems": [p for f in preview["files"] for p in f.get("problems", [])],
        "sheets": [
            {
                "index": sp.index,
                "file": sp.file.get("name", ""),
                "sheet": sp.sheet.get("title", "") or "",
                "unit_id": sp.unit.pk if sp.unit else None,
                "unit_name": sp.unit.name if sp.unit else "",
                "changes": [vars(c) for c in sp.changes],
            }
            for sp in plan.sheets
        ],
    }


class ExchangeConfirmIn(InSchema):
    fingerprint: str = Field(
        ..., max_length=100, description="预览返回的 fingerprint：预览之后数据有变则拒绝"
    )
    overwrite_approved: bool = False
    units: dict[int, int | None] = Field(
        default_factory=dict, description="{工作表序号: 单位编号}，更正自动匹配"
    )


@router.post("/campaigns/{int:campaign_id}/imports/{token}/confirm", response={202: SummaryJobOut, **ERRORS})
def import_confirm(request, campaign_id: int, token: str, payload: ExchangeConfirmIn):
    campaign, preview, form = _preview(request, campaign_id, token)
    allowed = {u.pk for u in campaign.participating_units().only("id")}
    for index, _f, sheet in importing.sheets_of(preview["files"]):
        if index in payload.units:
            chosen = payload.units[index]
            if chosen is not None and chosen not in allowed:
                raise ValidationError(
                    {
                        "units": [
                            (
                                _("第%(value)s个工作表：单位编号 %(chosen)s 不是本活动周的参与单位")
                                % {"value": index + 1, "chosen": chosen}
                            )
                        ]
                    }
                )
            sheet["unit_id"], sheet["auto"] = chosen, False
    preview["overwrite"] = payload.overwrite_approved
    import_store.write_json(token, "preview.json", preview)
    plan = _plan(campaign, preview, form)
    if plan.errors:
        raise ValidationError({"__all__": plan.errors})
    job = job_start(
        kind=jobs.IMPORT_COMMIT,
        owner=request.user,
        params={
            "campaign_id": campaign.pk,
            "token": token,
            "overwrite": payload.overwrite_approved,
            "fingerprint": payload.fingerprint,
            "received_on": None,
        },
    )
    return Status(202, _job(job))
