"""Writes of the innovation domain, re-exported: `from sciweek.innovation import services`."""

from .demands import (
    allowed_steps,
    demand_create,
    demand_publish,
    demand_set_status,
    demand_update,
    match_confirm,
)
from .edits import (
    application_delete,
    application_update,
    expert_set_active,
    servicelog_delete,
    servicelog_update,
    visit_delete,
    visit_update,
)
from .records import application_create, photo_add, servicelog_create, visit_create
from .registry import enterprise_create, enterprise_update, expert_create, expert_update, partner_create

__all__ = [
    "allowed_steps",
    "application_create",
    "application_delete",
    "application_update",
    "expert_set_active",
    "servicelog_delete",
    "servicelog_update",
    "visit_delete",
    "visit_update",
    "demand_create",
    "demand_publish",
    "demand_set_status",
    "demand_update",
    "enterprise_create",
    "enterprise_update",
    "expert_create",
    "expert_update",
    "match_confirm",
    "partner_create",
    "photo_add",
    "servicelog_create",
    "visit_create",
]
