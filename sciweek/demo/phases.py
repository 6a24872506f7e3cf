"""The demo's named phases: moments of the 2023 泗县 week a visitor can jump to (demo mode only).

The moments are the notice's own dates: publicity was due 5月18日, the week runs 5月20日–31日 and the
final report is due 5月30日 at close of business (17:30).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciweek.core import clock
from sciweek.core.audit import audit_log


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


@transaction.atomic
def jump(key: str, *, actor: object) -> Phase:
    """Put the demo clock at a named phase (audited; the audit also makes cached page fragments stale,
    so countdowns and late flags are drawn anew)."""
    chosen = phase(key)
    if chosen is None:
        raise ValueError(key)
    clock.set_demo_time(chosen.at, label=chosen.key)
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
    jump(START.key, actor="演示数据")
    return True
