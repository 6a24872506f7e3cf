"""Writes to requirements outside the services (shell, tests, a deleted campaign's cascade) still make
the cached deadlines stale: the services' audit entries cover the rest (core/cache.py)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from sciweek.core.cache import bump_access_generation

from .models import Requirement


def _requirements_changed(sender: type, **kwargs: Any) -> None:
    bump_access_generation()


def connect() -> None:
    post_save.connect(_requirements_changed, sender=Requirement, dispatch_uid="sciweek-requirement-save")
    post_delete.connect(_requirements_changed, sender=Requirement, dispatch_uid="sciweek-requirement-delete")
    m2m_changed.connect(
        _requirements_changed, sender=Requirement.applies_to.through, dispatch_uid="sciweek-requirement-units"
    )
