"""Writes to units and memberships outside the services (shell, tests, cascades) still make the
cached memberships stale: the services' audit entries cover the rest (core/cache.py)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from sciweek.core.cache import bump_access_generation

from .models import Membership, OrgUnit


def _access_changed(sender: type, **kwargs: Any) -> None:
    # Raw saves (loaddata) too: loaded rows change who may see what all the same.
    bump_access_generation()


def connect() -> None:
    for model in (OrgUnit, Membership):
        label = model._meta.label_lower
        post_save.connect(_access_changed, sender=model, dispatch_uid=f"sciweek-access-save-{label}")
        post_delete.connect(_access_changed, sender=model, dispatch_uid=f"sciweek-access-delete-{label}")
