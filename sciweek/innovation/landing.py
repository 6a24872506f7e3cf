"""Where a 科技特派员 with a login lands (registered with orgs.landings): a commissioner holds no unit role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sciweek.orgs.landings import register_landing

from .access import commissioner_of


@register_landing("innovation-commissioner", order=30)
def commissioner_page(user: Any) -> tuple[str, str] | None:
    if commissioner_of(user) is None:
        return None
    return reverse("innovation:dashboard"), _("科技特派员工作台")
