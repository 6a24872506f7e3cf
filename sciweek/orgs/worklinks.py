"""Links to a domain's own work area, shown in the navigation and on the workbenches of those who have
work there, without orgs or the base template importing the domain.

A domain registers ``register_work_link("innovation", label=_("企业创新服务"), url_name="innovation:dashboard",
visible=lambda user: ...)``; ``visible`` must be cheap (it runs on every page of a signed-in user:
memberships are cached per request, anything else should use core.cache). A check that fails hides the
link and is logged (a page must still render).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkLink:
    key: str
    label: Any
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_LINKS: dict[str, WorkLink] = {}


def register_work_link(
    key: str, *, label: Any, url_name: str, visible: Callable[[Any], bool], order: int = 50
) -> None:
    _LINKS[key] = WorkLink(key, label, url_name, visible, order)


def unregister_work_link(key: str) -> None:
    _LINKS.pop(key, None)


def work_links(user: Any) -> list[WorkLink]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_sciweek_work_links", None)
    if cached is not None:
        return cached
    out = []
    for link in sorted(_LINKS.values(), key=lambda k: (k.order, k.key)):
        try:
            if link.visible(user):
                out.append(link)
        except Exception:  # noqa: BLE001 — see the module docstring
            log.exception("work link %r failed", link.key)
    user._sciweek_work_links = out
    return out
