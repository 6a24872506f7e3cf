"""Signed ticket tokens: what the ticket QR code and the ticket / cancel links carry."""

from __future__ import annotations

from django.core import signing

from .models import Registration

TICKET_SALT = "sciweek.events.ticket"


def ticket_token(registration: Registration) -> str:
    """The signed, unguessable token in the ticket QR code and the ticket / cancel links."""
    return signing.dumps(
        {"r": registration.pk, "n": registration.ticket_nonce}, salt=TICKET_SALT, compress=True
    )


def unsign_ticket(token: str) -> tuple[int, str] | None:
    """(registration id, nonce) from a ticket token whose signature holds, else None."""
    try:
        data = signing.loads((token or "").strip(), salt=TICKET_SALT)
        return int(data["r"]), str(data.get("n", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
