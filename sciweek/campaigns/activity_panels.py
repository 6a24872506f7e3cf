"""Panels other domains show on a main activity's pages, without campaigns importing them.

A domain whose year-round records belong under one of the notice's main activities (the enterprise
service under 服务企业创新专项行动, the commissioners' service logs under 科技特派员乡村行) registers a kind:

    @register_activity_panel("innovation.enterprise", label=_("服务企业创新"), title_words=("服务企业",))
    def panel(*, campaign, activity, user, public) -> ActivityPanel | None: ...

Which activity is which kind is decided by one rule (``activity_kind``), in this order:

1. the organizer's choice on the activity (``MainActivity.panel_kind``): a registered kind, or
   ``none`` for no panel at all; a kind no longer registered shows nothing;
2. otherwise a kind whose ``title_words`` occur in the activity's title (kinds in registration order);
3. otherwise a kind whose ``content_words`` occur in its content. These are whole phrases
   (科技特派员乡村行), not single words: a publicity activity that merely mentions 科技特派员 is not one.

The provider is asked with ``public=True`` for the portal (no login: only figures safe to publish, no
names, no links inward) and ``public=False`` for the manage side, where it scopes to ``user``. A
provider with nothing to show returns None; one that fails is logged and left out (the page must
still render).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Campaign, MainActivity

log = logging.getLogger(__name__)

NO_PANEL = "none"


@dataclass(frozen=True)
class ActivityPanel:
    title: str
    template: str  # rendered with `panel` (this object) and `campaign` / `activity` in the context
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[..., ActivityPanel | None]


@dataclass(frozen=True)
class PanelKind:
    key: str
    label: Any
    provider: PanelProvider
    title_words: tuple[str, ...] = ()
    content_words: tuple[str, ...] = ()


_KINDS: dict[str, PanelKind] = {}


def register_activity_panel(
    key: str, *, label: Any, title_words: tuple[str, ...] = (), content_words: tuple[str, ...] = ()
) -> Callable[[PanelProvider], PanelProvider]:
    def decorate(fn: PanelProvider) -> PanelProvider:
        _KINDS[key] = PanelKind(key, label, fn, tuple(title_words), tuple(content_words))
        return fn

    return decorate


def unregister_activity_panel(key: str) -> None:
    _KINDS.pop(key, None)


def kind_choices() -> list[tuple[str, Any]]:
    """Choices for the organizer's field: automatic (blank), each registered kind, or none."""
    return [
        ("", _("按活动名称自动判断")),
        *((k.key, k.label) for k in _KINDS.values()),
        (NO_PANEL, _("不显示专项数据")),
    ]


def activity_kind(activity: MainActivity) -> str | None:
    tag = activity.panel_kind
    if tag:
        return tag if tag in _KINDS else None
    for k in _KINDS.values():
        if any(w in activity.title for w in k.title_words):
            return k.key
    for k in _KINDS.values():
        if any(w in (activity.content or "") for w in k.content_words):
            return k.key
    return None


def activity_panels(
    *, campaign: Campaign, activity: MainActivity, user: Any, public: bool
) -> list[ActivityPanel]:
    key = activity_kind(activity)
    if key is None:
        return []
    try:
        panel = _KINDS[key].provider(campaign=campaign, activity=activity, user=user, public=public)
    except Exception:  # noqa: BLE001 — see the module docstring
        log.exception("activity panel %r failed", key)
        return []
    return [panel] if panel is not None else []
