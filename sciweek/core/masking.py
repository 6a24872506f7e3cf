"""Masking personal data for those without a need to see it."""

from __future__ import annotations


def mask_phone(value: str) -> str:
    """138****5678 for those without a need to see the number."""
    if not value:
        return ""
    if len(value) >= 11:
        return value[:3] + "****" + value[-4:]
    if len(value) > 4:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return "****"
