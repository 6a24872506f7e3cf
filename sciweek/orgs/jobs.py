"""The unit import's commit runs as a background job (core.jobs): a few hundred units take longer than
a web request should, since each sorted insert into the tree rewrites the paths of later siblings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from sciweek.core.jobs import JobContext, register_job

from .import_apply import units_import
from .import_planner import plan_import
from .importer import fingerprint

IMPORT_JOB = "orgs.units_import"


@register_job(IMPORT_JOB)
def units_import_job(ctx: JobContext) -> dict[str, Any]:
    """Parse the stored upload again, check it is what the organizer confirmed, write it, drop the file."""
    name, actor = ctx.params["name"], ctx.job.owner
    try:
        try:
            with default_storage.open(name, "rb") as fileobj:
                plan = plan_import(fileobj, actor=actor)
        except OSError:
            return {"ok": False, "errors": [_("导入文件已不存在（可能已导入或已取消），请重新上传。")]}
        if not plan.ok:
            return {"ok": False, "errors": plan.errors[:100]}
        if fingerprint(plan) != ctx.params.get("fingerprint"):
            return {
                "ok": False,
                "errors": [_("确认之后单位树又被修改了，未导入任何数据：请重新上传并核对预览。")],
            }
        try:
            result = units_import(
                actor=actor, plan=plan, source_name=ctx.params.get("original", ""), progress=ctx.progress
            )
        except ValidationError as exc:
            return {"ok": False, "errors": exc.messages}
        return {"ok": True, **asdict(result)}
    finally:
        default_storage.delete(name)
