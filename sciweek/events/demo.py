"""Demo events for the 2023 泗县 week: what units registered, the bureau approved, the public joined.

Called by the demo loader after the campaign exists: `load_demo_events(campaign)`. The events are
created through the same services as a unit's own (as of 2023-05-15, when the notice went out), so
they pass the same checks. Online links point at example.com: demo data, not real streams.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sciweek.campaigns.demo_parts import DemoContext, PhaseChange, register_demo_part, register_demo_phase
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.orgs.models import OrgUnit

from .choices import Mode
from .models import Event, Registration
from .registration import registration_create
from .services import event_approve, event_create, event_record_outcome, event_submit

ACTOR = "演示数据"


@dataclass(frozen=True)
class DemoEvent:
    unit: str  # short name
    title: str
    category: str
    mode: str
    day: int  # May 2023
    start: str
    end: str
    audiences: list[str]
    venue: str = ""
    address: str = ""
    online_platform: str = ""
    online_url: str = ""
    capacity: int | None = None
    waitlist: int = 0
    scale: int | None = None
    safety: tuple[str, str] = ("", "")
    activity: int | None = 5
    theme: int = 4
    end_day: int | None = None
    description: str = ""
    outcome: dict = field(default_factory=dict)
    registrants: int = 11  # how many of DEMO_REGISTRANTS book (in order)


EVENTS = [
    DemoEvent(
        "县气象局",
        "走进气象观测站——“5·23世界气象日”开放日",
        "气象科技周",
        Mode.OFFLINE,
        20,
        "09:00",
        "11:30",
        ["青少年", "中小学校"],
        venue="泗县气象局观测场",
        address="泗县泗城镇气象路（示例地址）",
        capacity=30,
        waitlist=10,
        scale=30,
        safety=("刘工", "13955700101"),
        description="参观自动气象站、雷达和探空设备，气象工程师讲解天气预报是怎样做出来的。\n"
        "名额30人，每份报名最多5人，请家长陪同未成年人参加。",
        outcome={"offline_participants": 30},
    ),
    DemoEvent(
        "县气象局",
        "防灾减灾气象知识直播课",
        "直播",
        Mode.ONLINE,
        25,
        "15:00",
        "16:00",
        ["公众", "农民"],
        online_platform="抖音“泗县气象”",
        online_url="https://live.example.com/sixian/qixiang",
        description="汛期将至：暴雨、雷电、大风来临前后怎么做？首席预报员在线答疑。",
        outcome={"online_audience": 3260, "online_audience_source": "抖音直播后台统计（累计观看）"},
    ),
    DemoEvent(
        "县科协",
        "科技志愿服务进社区：健康生活科普讲座",
        "科普讲座",
        Mode.OFFLINE,
        21,
        "14:30",
        "16:30",
        ["社区居民", "老年人"],
        venue="泗城镇示例社区党群服务中心",
        scale=80,
        safety=("王老师", "13955700102"),
        activity=1,
        description="科技志愿者讲解慢病防治、合理用药，现场免费测血压、赠送科普资料。",
        outcome={"offline_participants": 86},
    ),
    DemoEvent(
        "县科协",
        "公众科学日：青少年科学实验秀",
        "公众科学日",
        Mode.BOTH,
        27,
        "09:30",
        "11:30",
        ["青少年", "中小学校", "公众"],
        venue="泗县青少年活动中心",
        scale=200,
        safety=("李老师", "13955700103"),
        online_platform="泗县发布视频号",
        online_url="https://live.example.com/sixian/kexueri",
        theme=3,
        description="液氮、静电、空气炮……跟着科技辅导员动手做实验，线上同步直播。",
        outcome={
            "offline_participants": 210,
            "online_audience": 1850,
            "online_audience_source": "视频号直播后台统计",
        },
    ),
    DemoEvent(
        "县农业农村局",
        "科技特派员乡村行：小麦“一喷三防”田间培训",
        "科技特派员乡村行",
        Mode.OFFLINE,
        23,
        "08:30",
        "11:00",
        ["农民"],
        venue="示例镇一小麦高产示范田",
        scale=60,
        safety=("张站长", "13955700104"),
        description="科技特派员在田间讲解病虫害识别与“一喷三防”技术，现场演示植保无人机作业。",
        outcome={"offline_participants": 65},
    ),
    DemoEvent(
        "县农业农村局",
        "农业科技周：新品种新技术线上推介会",
        "农业科技周",
        Mode.ONLINE,
        29,
        "19:30",
        "21:00",
        ["农民", "企业"],
        online_platform="泗县发布抖音号",
        online_url="https://live.example.com/sixian/nongye",
        description="小麦、大豆新品种和绿色防控新技术推介，专家连线答疑。",
    ),
    DemoEvent(
        "示例镇一",
        "农村少儿爱科学：科普大篷车进校园",
        "展览展示",
        Mode.OFFLINE,
        26,
        "08:30",
        "11:30",
        ["青少年", "中小学校"],
        venue="示例镇一中心小学",
        scale=300,
        safety=("赵校长", "13955700105"),
        description="科普展品进校园，机器人、VR防灾体验，科技辅导员带领学生动手体验。",
        outcome={"offline_participants": 320},
    ),
    DemoEvent(
        "县融媒体中心",
        "系列微视频《身边的科技》",
        "微视频",
        Mode.ONLINE,
        20,
        "08:00",
        "22:00",
        ["公众"],
        end_day=31,
        online_platform="泗县发布",
        online_url="https://video.example.com/sixian/shenbian",
        activity=6,
        theme=1,
        description="每天一集，走进全县科技企业、科技特派员和科普基地。",
        outcome={"online_audience": 12800, "online_audience_source": "泗县发布各平台播放量合计"},
    ),
    DemoEvent(
        "县教体局",
        "青少年编程机器人体验课",
        "技术培训",
        Mode.OFFLINE,
        21,
        "09:00",
        "11:00",
        ["青少年", "中小学校"],
        venue="泗县青少年活动中心三楼创客教室",
        address="泗县泗城镇（示例地址）",
        capacity=20,
        waitlist=10,
        scale=25,
        safety=("孙老师", "13955700106"),
        description="搭一台会避障的小车：编程老师带孩子动手编写第一段机器人程序。名额20人，已满时可排队候补。",
    ),
    DemoEvent(
        "县科协",
        "科普大讲堂：人工智能与我们的生活",
        "科普讲座",
        Mode.OFFLINE,
        24,
        "19:00",
        "21:00",
        ["公众", "社区居民"],
        venue="泗县文化馆报告厅",
        address="泗县泗城镇（示例地址）",
        capacity=200,
        waitlist=0,
        scale=200,
        safety=("王老师", "13955700102"),
        theme=3,
        description="大语言模型、智能驾驶、AI诊疗……专家讲清楚人工智能能做什么、不能做什么。",
        registrants=4,
    ),
]

DEMO_REGISTRANTS = [
    ("张伟", 2),
    ("王芳", 3),
    ("李娜", 1),
    ("刘洋", 4),
    ("陈静", 2),
    ("杨帆", 2),
    ("赵磊", 3),
    ("黄敏", 1),
    ("周杰", 5),
    ("吴婷", 2),
    ("徐强", 3),
]  # 28 of the 30 places


def _at(day: int, hhmm: str) -> dt.datetime:
    h, m = hhmm.split(":")
    return timezone.make_aware(dt.datetime(2023, 5, day, int(h), int(m)))


@transaction.atomic
def load_demo_events(campaign: Campaign, *, with_outcomes: bool = True) -> list[Event]:
    """Create the demo's published events (idempotent: does nothing if the campaign already has events).

    ``with_outcomes=False``: the demo part leaves the outcomes to its phase hook (``outcomes_at_phase``)."""
    if campaign.events.exists():
        return list(campaign.events.all())
    as_of = timezone.make_aware(dt.datetime.combine(campaign.start_date - dt.timedelta(days=5), dt.time(9)))
    themes = {t.number: t for t in campaign.content_themes.all()}
    activities = {a.number: a for a in campaign.activities.all()}
    units = {
        u.short_name or u.name: u for u in OrgUnit.objects.filter(path__startswith=campaign.org_unit.path)
    }
    units |= {u.name: u for u in units.values()}
    created = []
    for d in EVENTS:
        unit = units.get(d.unit)
        if unit is None:
            continue
        event = event_create(
            actor=ACTOR,
            campaign=campaign,
            unit=unit,
            as_of=as_of,
            title=d.title,
            category=d.category,
            mode=d.mode,
            starts_at=_at(d.day, d.start),
            ends_at=_at(d.end_day or d.day, d.end),
            audiences=d.audiences,
            venue=d.venue,
            address=d.address,
            online_platform=d.online_platform,
            online_url=d.online_url,
            registration_enabled=d.capacity is not None,
            capacity=d.capacity,
            waitlist_limit=d.waitlist,
            expected_scale=d.scale,
            safety_contact=d.safety[0],
            safety_phone=d.safety[1],
            description=d.description,
            content_theme=themes.get(d.theme),
            main_activity=activities.get(d.activity) if d.activity else None,
        )
        event = event_submit(actor=ACTOR, event=event, as_of=as_of)
        event = event_approve(actor=ACTOR, event=event)
        if d.capacity:
            for i, (name, party) in enumerate(DEMO_REGISTRANTS[: d.registrants]):
                r = registration_create(
                    event=event, name=name, phone=f"1390557{i:04d}", party_size=party, as_of=as_of
                )
                Registration.objects.filter(pk=r.pk).update(created_at=as_of + dt.timedelta(minutes=37 * i))
        if with_outcomes and d.outcome:
            # What happened at the event, recorded when it ended (the clock is held there for the moment).
            with clock.demo_at(event.ends_at):
                event = _record(event, d)
        created.append(event)
    return created


def _record(event: Event, d: DemoEvent) -> Event:
    if clock.now() < event.starts_at:
        return event
    return event_record_outcome(
        actor=ACTOR,
        event=event,
        version=event.version,
        offline_participants=d.outcome.get("offline_participants"),
        online_audience=d.outcome.get("online_audience"),
        online_audience_source=d.outcome.get("online_audience_source", ""),
    )


@register_demo_part("示例活动", order=50)
def demo_events(ctx: DemoContext) -> None:
    events = load_demo_events(ctx.campaign, with_outcomes=False)
    ctx.lines.append(f"已载入{len(events)}项示例活动（活动日历：/events/）。")


@register_demo_phase("示例活动")
def outcomes_at_phase(change: PhaseChange) -> None:
    """What happened at each demo event is on record once it has ended at the phase's moment (recorded
    when it ended, through the service), and off the record before: at 筹备 no event has an outcome."""
    by_title = {d.title: d for d in EVENTS if d.outcome}
    for event in Event.objects.filter(campaign=change.campaign, title__in=by_title):
        recorded = event.outcome_recorded_at is not None
        if event.ends_at <= change.at and not recorded:
            with clock.demo_at(event.ends_at):
                _record(event, by_title[event.title])
        elif event.ends_at > change.at and recorded:
            # Undone by the demo, not by a user: the fields go back to "not yet recorded".
            Event.objects.filter(pk=event.pk).update(
                offline_participants=None,
                online_audience=None,
                online_audience_source="",
                outcome_note="",
                outcome_recorded_at=None,
                version=F("version") + 1,
            )
