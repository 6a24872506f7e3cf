"""The demo's publicity content (notice 五.1, due 5月18日): some units on time, one late, one still a
draft, the rest not yet sent, so the 筹备 phase (5月19日) shows a deadline that has just passed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.campaigns.demo_parts import DEMO_ACTOR, DemoContext, register_demo_part
from sciweek.core import clock
from sciweek.orgs.services import staff_save

from .services import publicity_save

# (unit short name, contact, mobile, headline, sent at (May 2023 day, hour, minute) or None for a draft)
SENT = [
    ("县科协", "王静", "13955700201", "科技志愿服务 让科学走进千家万户", (16, 10, 20)),
    ("县气象局", "刘洋", "13955700202", "智慧气象 守护平安", (17, 16, 5)),
    ("县卫健委", "周敏", "13955700203", "健康科普进万家", (19, 9, 5)),  # a day late
    ("县农业农村局", "张强", "13955700204", "科技兴农 助力乡村振兴", None),  # saved, not sent
]


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour, minute))


@register_demo_part("宣传内容", order=40)
def demo_publicity(ctx: DemoContext) -> None:
    # Sent by the unit's demo account where it has one, else entered by the bureau for the unit.
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["sx-kjj", "sx-qxj"])}
    for short, contact, mobile, headline, sent in SENT:
        unit = ctx.unit(short)
        staff_save(actor=DEMO_ACTOR, unit=unit, name=contact, mobile=mobile, position="科普工作联系人")
        body = (
            f"{unit.name}围绕“热爱科学 崇尚科学”主题，在科技活动周期间开展系列科普活动，"
            "欢迎广大群众踊跃参与。（演示内容）"
        )
        with clock.demo_at(_at(*sent) if sent else _at(15, 9, 0)):
            publicity_save(
                actor=users["sx-qxj"] if short == "县气象局" else users["sx-kjj"],
                campaign=ctx.campaign,
                unit=unit,
                version=None,
                headline=headline,
                body=body,
                submit=sent is not None,
            )
    ctx.lines.append("宣传内容：3家单位已报送（其中1家逾期），1家草稿未报送。")
