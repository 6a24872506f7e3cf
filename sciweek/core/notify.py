"""In-app notifications (and e-mail to the unit's staff who have an address)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail

from .cache import bump_generation
from .models import Notification
from .statements import insert_many

# Who reads a unit's mail: the unit tree (orgs) registers how to find its staff's addresses, since
# core knows no domain. Unset (no orgs app), units get in-app notifications only.
AddressBook = Callable[[list[Any]], Iterable[str]]
_address_book: AddressBook | None = None


def set_unit_address_book(book: AddressBook) -> None:
    global _address_book
    _address_book = book


def notify_units(
    *, units: Iterable[Any], title: str, body: str = "", link: str = "", email: bool = True
) -> int:
    rows = insert_many([Notification(unit=u, title=title, body=body, link=link) for u in units])
    bump_generation()
    if email and _address_book is not None:
        addresses = sorted({a for a in _address_book([n.unit for n in rows]) if a})
        if addresses:
            send_mass_mail(
                [(title, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses], fail_silently=True
            )
    return len(rows)


def notify_user(*, user: Any, title: str, body: str = "", link: str = "") -> Notification:
    bump_generation()
    return Notification.objects.create(user=user, title=title, body=body, link=link)
