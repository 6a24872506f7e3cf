"""In-app notifications (and e-mail to the unit's staff who have an address)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail

from .cache import bump_generation
from .models import Notification
from .statements import insert_many


def notify_units(
    *, units: Iterable[Any], title: str, body: str = "", link: str = "", email: bool = True
) -> int:
    rows = insert_many([Notification(unit=u, title=title, body=body, link=link) for u in units])
    bump_generation()
    if email:
        from sciweek.orgs.models import StaffContact

        addresses = sorted(
            {s.email for s in StaffContact.objects.filter(unit__in=[n.unit for n in rows]) if s.email}
        )
        if addresses:
            send_mass_mail(
                [(title, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses], fail_silently=True
            )
    return len(rows)


def notify_user(*, user: Any, title: str, body: str = "", link: str = "") -> Notification:
    bump_generation()
    return Notification.objects.create(user=user, title=title, body=body, link=link)
