"""Audit every write: services call `audit_log` inside their transaction."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

from django.db import models
from django.db.models.fields.files import FieldFile

from .cache import bump_access_generation, bump_generation, is_access_object_type
from .models import AuditEvent
from .statements import insert_many

# Set by core.middleware.RequestContextMiddleware so services need not pass the request around.
P = ParamSpec("P")

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Plain values of a model's concrete fields (and many-to-many names once saved)."""
    opts = obj._meta
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in opts.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in {"id", "path", "depth", "numchild"}:
            continue
        value = getattr(obj, field.name)
        data[field.name] = _jsonable(value)
    if obj.pk:
        for field in opts.many_to_many:
            if wanted is not None and field.name not in wanted:
                continue
            data[field.name] = sorted(str(v) for v in getattr(obj, field.name).all())
    return data


def audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """The audit row for one write, not yet saved (``audit_log`` saves one, ``audit_log_many`` many)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
        unit_path = unit_path or _unit_path_of(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=user,
        actor_name=(user.get_username() if user else str(actor or "系统"))[:150],
        ip=current_ip.get(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        unit_path=unit_path,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
    )


def _bump_generations(events: Iterable[AuditEvent]) -> None:
    """Every write makes data fragments stale; one on a unit, membership or user also access ones
    (core/cache.py)."""
    bump_generation()
    if any(is_access_object_type(event.object_type) for event in events):
        bump_access_generation()


def _saved(build: Callable[P, AuditEvent]) -> Callable[P, AuditEvent]:
    def save(*args: P.args, **kwargs: P.kwargs) -> AuditEvent:
        event = build(*args, **kwargs)
        _bump_generations([event])
        insert_many([event])
        return event

    return save


#: Record one write, inside the caller's transaction: ``audit_event``'s keyword arguments, saved.
audit_log = _saved(audit_event)


def audit_log_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Record many writes built with ``audit_event`` in one statement (an import changes thousands)."""
    rows = insert_many(list(events))
    if rows:
        _bump_generations(rows)
    return rows


def _unit_path_of(obj: models.Model) -> str:
    """The tree path of the org unit an object belongs to (OrgUnit itself, or obj.unit / obj.org_unit)."""
    if obj._meta.label_lower == "orgs.orgunit":
        return getattr(obj, "path", "") or ""
    for attr in ("unit", "org_unit"):
        related = getattr(obj, attr, None)
        if related is not None and hasattr(related, "path"):
            return related.path
    campaign = getattr(obj, "campaign", None)
    if campaign is not None:
        return campaign.org_unit.path
    return ""
