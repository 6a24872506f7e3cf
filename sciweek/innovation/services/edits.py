"""Editing and deleting the records (visits, service logs, project applications), and taking an expert out
of the registry and back.

Each edit locks the row, refuses a stale version (two people editing the same record: the second is told,
nothing is overwritten), checks the record as a whole with the same rules as creating it, and is audited
with before and after. A delete is version-checked too and leaves its last state in the audit log. Who may
do it is decided by the caller through innovation/access.py (a commissioner their own logs, a town its
own records, the bureau everything below it).

The registries are year-round, so these do not call campaigns.lifecycle.check_open: a closed week does not
freeze a visit from March. The week's own figures are the statistics table's, which has its own locks.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version

from ..models import Expert, ProjectApplication, ServiceLog, Visit
from .records import check_application_fields, check_log_fields, check_visit_fields

VISIT_FIELDS = ("date", "visitors", "findings", "demands_raised", "contact_confirmed", "confirmed_by_name")
LOG_FIELDS = ("date", "place_kind", "place", "kind", "people_served", "hours", "topics", "event_id")
APPLICATION_FIELDS = ("programme", "level", "year", "status", "amount", "guided_by")


def _merged(obj: Any, names: tuple[str, ...], fields: dict[str, Any]) -> dict[str, Any]:
    if unknown := set(fields) - set(names):
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return {k: fields[k] if k in fields else getattr(obj, k) for k in names}


def _drop_photo_files(photos: Any) -> None:
    """The photos' files go with the record, once the delete has committed (a rollback keeps them)."""
    names = [n for p in photos for n in (p.file.name, p.thumbnail.name) if n]

    def drop() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(drop)


def _update(obj: Any, version: int | None, *, actor: Any, what: str, action: str, check: Any) -> Any:
    """Lock, check the version, apply ``check(locked)`` (the whole record's checked fields), audit."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_version(obj, version, what)
    before = snapshot(obj)
    for k, v in check(obj).items():
        setattr(obj, k, v)
    obj.version = F("version") + 1
    obj.save()
    obj.refresh_from_db()
    audit_log(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))
    return obj


def _delete(obj: Any, version: int | None, *, actor: Any, what: str, action: str) -> None:
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_version(obj, version, what)
    audit_log(actor=actor, action=action, obj=obj, before=snapshot(obj))
    if hasattr(obj, "photos"):
        _drop_photo_files(obj.photos.all())
    obj.delete()


@transaction.atomic
def visit_update(*, actor: Any, visit: Visit, version: int | None, **fields: Any) -> Visit:
    return _update(
        visit, version, actor=actor, what=_("该走访记录"), action="innovation.visit_update",
        check=lambda v: check_visit_fields(**_merged(v, VISIT_FIELDS, fields)),
    )  # fmt: skip


@transaction.atomic
def visit_delete(*, actor: Any, visit: Visit, version: int | None) -> None:
    _delete(visit, version, actor=actor, what=_("该走访记录"), action="innovation.visit_delete")


def _log_fields(log: ServiceLog, fields: dict[str, Any]) -> dict[str, Any]:
    values = _merged(log, LOG_FIELDS, fields)
    clean = check_log_fields(expert=log.expert, unit=log.unit, **values)
    return {**clean, "place_kind": values["place_kind"], "kind": values["kind"]}


@transaction.atomic
def servicelog_update(*, actor: Any, log: ServiceLog, version: int | None, **fields: Any) -> ServiceLog:
    return _update(
        log, version, actor=actor, what=_("该服务日志"), action="innovation.servicelog_update",
        check=lambda x: _log_fields(x, fields),
    )  # fmt: skip


@transaction.atomic
def servicelog_delete(*, actor: Any, log: ServiceLog, version: int | None) -> None:
    _delete(log, version, actor=actor, what=_("该服务日志"), action="innovation.servicelog_delete")


@transaction.atomic
def application_update(
    *, actor: Any, application: ProjectApplication, version: int | None, **fields: Any
) -> ProjectApplication:
    return _update(
        application, version, actor=actor, what=_("该项目申报记录"), action="innovation.application_update",
        check=lambda a: check_application_fields(**_merged(a, APPLICATION_FIELDS, fields)),
    )  # fmt: skip


@transaction.atomic
def application_delete(*, actor: Any, application: ProjectApplication, version: int | None) -> None:
    _delete(
        application, version, actor=actor, what=_("该项目申报记录"), action="innovation.application_delete"
    )


@transaction.atomic
def expert_set_active(*, actor: Any, expert: Expert, active: bool, version: int | None) -> Expert:
    """A deactivated expert stays in the records they served in but is no longer suggested as a match
    (matching reads active experts only) nor listed; reactivating brings them back."""
    expert = Expert.objects.select_for_update().select_related("region").get(pk=expert.pk)
    check_version(expert, version, _("该专家信息"))
    if expert.is_active == bool(active):
        return expert
    expert.is_active = bool(active)
    expert.version = F("version") + 1
    expert.save(update_fields=["is_active", "version", "updated_at"])
    expert.refresh_from_db()
    audit_log(
        actor=actor,
        action="innovation.expert_reactivate" if active else "innovation.expert_deactivate",
        obj=expert,
        unit_path=expert.region.path,
        after={"is_active": expert.is_active},
    )
    return expert
