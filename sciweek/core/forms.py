from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def attach_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def posted_version(request) -> int | None:
    """The form's hidden version as a number; anything else is no version (a stale check then reads
    the current one) rather than a server error."""
    raw = (request.POST.get("version") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None
