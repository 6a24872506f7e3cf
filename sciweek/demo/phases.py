"""The demo's named phases: moments of the 2023 泗县 week a visitor can jump to (demo mode only).

The moments are the notice's own dates: publicity was due 5月18日, the week runs 5月20日–31日 and the
final report is due 5月30日 at close of business (17:30).

After a jump (and once at load) the demo's data follows the clock: every demo part with time-dependent
records registered a hook (``campaigns.demo_parts.register_demo_phase``) that brings its records to the
state they have at the phase's moment: at 筹备 no unit has reported yet, at 总结上报 some have, one was
returned, at 结束后 all the demo's tables are approved, one of them late. See README, "The first hour".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from sciweek.campaigns.demo_parts import DEMO_ACTOR, PhaseChange, demo_phase_hooks
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.models import AuditEvent

LOADED = "demo.load"  # the audit action the loader writes: which campaign, which parts


@dataclass(frozen=True)
class Phase:
    key: str
    name: str
    hint: str
    at: dt.datetime


def _aware(m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, m, d, hh, mm))


PHASES = [
    Phase("prepare", _("筹备"), _("宣传材料昨日截止，活动报名开放，活动周明天开始"), _aware(5, 19, 10)),
    Phase("week", _("活动周进行中"), _("气象开放日正在进行，可现场签到"), _aware(5, 20, 9, 10)),
    Phase("report", _("总结上报"), _("距5月30日17:30的上报截止还有两个半小时"), _aware(5, 30, 15)),
    Phase("after", _("结束后"), _("活动周已结束，上报截止已过"), _aware(6, 2, 10)),
]
START = PHASES[0]


def phase(key: str) -> Phase | None:
    return next((p for p in PHASES if p.key == key), None)


def phase_at(moment: dt.datetime) -> Phase:
    """The last named phase that has begun by ``moment`` (筹备 before the first)."""
    return ([p for p in PHASES if p.at <= moment] or [START])[-1]


def record_load(*, campaign: Campaign, parts: list[str]) -> None:
    """The loader's note of what it loaded; the phase hooks of those parts are the ones a jump runs."""
    audit_log(
        actor=DEMO_ACTOR,
        action=LOADED,
        object_type="demo",
        object_id=str(campaign.pk),
        object_repr=campaign.title,
        after={"campaign": campaign.pk, "parts": parts},
    )


def bring_data_to(chosen: Phase) -> list[str]:
    """Run the loaded parts' phase hooks for ``chosen``; returns the parts whose hooks ran."""
    autodiscover_modules("demo")  # the domains' demo.py register their hooks on import
    note = AuditEvent.objects.filter(action=LOADED).order_by("-pk").values_list("after", flat=True).first()
    if not note:
        return []
    campaign = Campaign.objects.filter(pk=note["campaign"]).first()
    if campaign is None:
        return []
    change = PhaseChange(campaign=campaign, phase=chosen.key, at=chosen.at)
    ran = []
    for name, hook in demo_phase_hooks(note["parts"]):
        hook(change)
        ran.append(name)
    return ran


@transaction.atomic
def jump(key: str, *, actor: object) -> Phase:
    """Put the demo clock at a named phase and the demo's data in that phase's state (audited; the
    audit also makes cached page fragments stale, so countdowns and late flags are drawn anew)."""
    chosen = phase(key)
    if chosen is None:
        raise ValueError(key)
    clock.set_demo_time(chosen.at, label=chosen.key)
    bring_data_to(chosen)
    audit_log(
        actor=actor,
        action="demo.clock",
        object_type="demo_clock",
        object_repr=str(chosen.name),
        after={"phase": chosen.key, "at": chosen.at},
    )
    return chosen


def start_if_unset() -> bool:
    """At the first `make run` the demo clock starts at 筹备 (2023年5月19日 10:00); later runs keep it."""
    if clock.is_demo():
        return False
    jump(START.key, actor=DEMO_ACTOR)
    return True
