"""The enterprise import's commit as a background job (core.jobs), polled by its page with a progress bar.

The job plans again from the stored upload (as the preview did) against the database as it is now,
checks the plan is the one the person confirmed (its fingerprint), and writes it in one transaction:
still all or nothing. The bar moves while the rows are checked (outside the transaction, so every
database shows it); the write itself is one step, since progress written inside the transaction would
be invisible to the page until the commit anyway.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from sciweek.core.jobs import JobContext, register_job

from .importer import enterprises_import, plan_import
from .selectors import writable_units

IMPORT_JOB = "innovation.enterprise_import"


def _may_read(user: Any, params: dict[str, Any]) -> bool:
    return bool(writable_units(user))


@register_job(IMPORT_JOB, may_read=_may_read)
def enterprise_import_job(ctx: JobContext) -> dict[str, Any]:
    name, actor = ctx.params["name"], ctx.job.owner
    try:
        checked = 0

        def checking(done: int, total: int, message: str) -> None:
            nonlocal checked
            checked = total
            ctx.progress(done, total * 2, message)  # checking is the first half of the bar

        try:
            with default_storage.open(name, "rb") as fileobj:
                plan = plan_import(fileobj, user=actor, progress=checking)
        except OSError:
            return {"ok": False, "errors": [_("导入文件已不存在（可能已导入或已取消），请重新上传。")]}
        if not plan.ok:
            return {"ok": False, "errors": plan.errors[:100]}
        if plan.fingerprint() != ctx.params.get("fingerprint"):
            return {
                "ok": False,
                "errors": [_("确认之后企业信息又有变化，未导入任何数据：请重新上传并核对预览。")],
            }
        ctx.progress(checked, checked * 2, _("正在写入（全部成功才生效）"))
        try:
            done = enterprises_import(actor=actor, plan=plan)
        except ValidationError as exc:
            return {"ok": False, "errors": exc.messages}
        ctx.progress(checked * 2, checked * 2, _("已完成"))
        return {"ok": True, **done}
    finally:
        default_storage.delete(name)
