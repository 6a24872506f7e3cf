"""The seed of the built-in demo: the 2023 泗县 Science and Technology Activity Week, written as data.

Facts (names, dates, units, deadlines) come from the county's notice; the wording here is ours.
The notice names no towns or streets, so three clearly marked sample towns stand in for them
until the organizer imports the real list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sciweek.campaigns.demo_parts import DEMO_ACTOR, DemoContext
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.campaigns.services import activity_save, campaign_create, requirement_save
from sciweek.orgs.models import OrgUnit, Role, UnitKind
from sciweek.orgs.services import unit_create

COUNTY_CODE = "341324"

# (name, kind, code suffix, short name, aliases)
DEPARTMENTS: list[tuple[str, str, str, str, list[str]]] = [
    ("泗县科学技术局", UnitKind.DEPARTMENT, "kjj", "县科技局", ["县科学技术局", "科技局", "县科技局"]),
    ("中共泗县县委宣传部", UnitKind.DEPARTMENT, "xcb", "县委宣传部", ["宣传部"]),
    ("泗县科学技术协会", UnitKind.ASSOCIATION, "kx", "县科协", ["科协", "县科学技术协会"]),
    ("泗县发展和改革委员会", UnitKind.DEPARTMENT, "fgw", "县发改委", []),
    ("泗县经济和信息化局", UnitKind.DEPARTMENT, "jxj", "县经信局", []),
    ("泗县教育体育局", UnitKind.DEPARTMENT, "jtj", "县教体局", []),
    ("泗县卫生健康委员会", UnitKind.DEPARTMENT, "wjw", "县卫健委", []),
    ("泗县农业农村局", UnitKind.DEPARTMENT, "nyncj", "县农业农村局", []),
    ("泗县农机管理中心", UnitKind.DEPARTMENT, "njzx", "县农机管理中心", []),
    ("泗县畜牧中心", UnitKind.DEPARTMENT, "xmzx", "县畜牧中心", []),
    (
        "泗县自然资源和规划局",
        UnitKind.DEPARTMENT,
        "zrzyj",
        "县自然资源规划局（林业局）",
        ["县自然资源规划局", "县林业局", "县自然资源和规划局"],
    ),
    ("泗县市场监督管理局", UnitKind.DEPARTMENT, "scjgj", "县市场监管局", []),
    ("泗县红十字会", UnitKind.DEPARTMENT, "hszh", "县红十字会", []),
    ("泗县妇女联合会", UnitKind.DEPARTMENT, "fl", "县妇联", []),
    ("泗县应急管理局", UnitKind.DEPARTMENT, "yjj", "县应急管理局", []),
    ("宿州市泗县生态环境分局", UnitKind.DEPARTMENT, "sthj", "县生态环境分局", []),
    ("泗县水利局", UnitKind.DEPARTMENT, "slj", "县水利局", []),
    ("泗县气象局", UnitKind.DEPARTMENT, "qxj", "县气象局", []),
    ("泗县人力资源和社会保障局", UnitKind.DEPARTMENT, "rsj", "县人社局", []),
    ("共青团泗县委员会", UnitKind.DEPARTMENT, "txw", "团县委", []),
    ("泗县总工会", UnitKind.DEPARTMENT, "zgh", "县总工会", []),
    ("泗县融媒体中心", UnitKind.MEDIA, "rmt", "县融媒体中心", ["广播电视台"]),
    ("泗县发布", UnitKind.MEDIA, "sxfb", "泗县发布", []),
    ("泗县科技志愿服务队", UnitKind.VOLUNTEER, "zyfwd", "县科技志愿服务队", []),
    (
        "泗县经济开发区",
        UnitKind.DEVZONE,
        "kfq",
        "经济开发区（泗涂产业园）",
        ["泗涂产业园", "经济开发区", "泗县经济开发区（泗涂产业园）"],
    ),
]
SAMPLE_TOWNS = [("示例镇一", "town1"), ("示例镇二", "town2"), ("示例街道一", "street1")]
SAMPLE_SOCIETIES = [("示例·泗县农学会", "xh-nx"), ("示例·泗县医学会", "xh-yx")]

THEMES = [
    "突出宣传贯彻党的二十大精神",
    "深入宣传《关于新时代进一步加强科学技术普及工作的意见》精神",
    "大力弘扬科学家精神",
    "广泛开展面向公众的特色科技活动",
]

# The notice's unit lists below use short names, plus three collective names standing for groups of units.
# This is the one written-out copy: the notice-parsing and notice-import tests check against it.
TOWNS = "@towns"  # every town/street
SOCIETIES = "@societies"  # the societies grouped under 县直各学会
ALL_DEPARTMENTS = "@departments"  # the county departments (load_demo says which)
COLLECTIVE_NAMES = {TOWNS: "各镇（街道）", SOCIETIES: "县直各学会", ALL_DEPARTMENTS: "县直有关单位"}
DEVZONE = "经济开发区（泗涂产业园）"


@dataclass(frozen=True)
class ActivityData:
    number: int
    title: str
    lead: list[str]
    cooperate: list[str]
    lead_text: str
    cooperate_text: str
    content: str


ACTIVITIES = [
    ActivityData(
        1,
        "科技活动周政策宣传活动",
        ["县科技局", "县委宣传部", "县科协"],
        [
            "县发改委",
            "县经信局",
            "县教体局",
            "县卫健委",
            "县农业农村局",
            "县农机管理中心",
            "县畜牧中心",
            "县自然资源规划局（林业局）",
            "县市场监管局",
            "县红十字会",
            "县妇联",
            "县应急管理局",
            "县生态环境分局",
            "县水利局",
            "县气象局",
            "县融媒体中心",
            "县科技志愿服务队",
        ],
        "县科技局、县委宣传部、县科协",
        "县发改委等17家单位",
        "设宣传咨询服务点，宣传科技法律法规和创新政策；开展科技咨询、赠送科普资料等科普活动；"
        "科技馆和科普教育基地向公众开放。",
    ),
    ActivityData(
        2,
        "服务企业创新专项行动",
        ["县科技局"],
        [TOWNS, DEVZONE],
        "县科技局",
        "各镇（街道）、经济开发区（泗涂产业园）",
        "走访企业摸清技术需求，指导企业申报科技计划项目，科技特派员送技下乡，组织产学研对接。",
    ),
    ActivityData(
        3,
        "青少年科技创新大赛",
        ["县科协"],
        ["县教体局", "县人社局", "县科技局", "县市场监管局", "团县委", "县妇联", "县总工会"],
        "县科协",
        "县教体局、县人社局、县科技局、县市场监管局、团县委、县妇联、县总工会",
        "组织全县中小学生和科技辅导员参加县青少年科技创新大赛。",
    ),
    ActivityData(
        4,
        "全国科技工作者日暨最美科技工作者评选",
        ["县科协", "县委宣传部", "县科技局"],
        [TOWNS, DEVZONE, SOCIETIES],
        "县科协、县委宣传部、县科技局",
        "各镇（街道）、经济开发区（泗涂产业园）、县直各学会",
        "推荐、宣传2023年度“泗县最美科技工作者”。",
    ),
    ActivityData(
        5,
        "各具特色的科普活动",
        [TOWNS, DEVZONE, ALL_DEPARTMENTS],
        [],
        "各镇（街道）、经济开发区（泗涂产业园）、县直有关单位",
        "",
        "线上线下结合：科技特派员乡村行、新品种新技术推广、科技志愿者培训、农村少儿爱科学；"
        "围绕生物医药、环境保护、低碳节能、防灾减灾、安全生产、食品药品安全开展特色科普。",
    ),
    ActivityData(
        6,
        "系列宣传活动",
        ["县委宣传部"],
        ["县融媒体中心", "泗县发布", "县科技局", "县科协"],
        "县委宣传部",
        "县融媒体中心、泗县发布、县科技局、县科协等",
        "主流媒体重点报道创新主体、科技工作者、科技特派员、科技成果和活动周开展情况。",
    ),
]

# Units the notice asks (五.1) for publicity content and staff names by 5月18日.
PUBLICITY_UNITS = [
    "县科协",
    "县教体局",
    "县卫健委",
    "县农业农村局",
    "县农机管理中心",
    "县畜牧中心",
    "县自然资源规划局（林业局）",
    "县市场监管局",
    "县红十字会",
    "县应急管理局",
    "县生态环境分局",
    "县水利局",
    "县气象局",
]


def _aware(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def seed_demo(*, actor: str = DEMO_ACTOR) -> DemoContext:
    """The tree, the campaign with its activities and deadlines, and the demo accounts."""
    province = unit_create(actor=actor, parent=None, name="安徽省", kind=UnitKind.PROVINCE, code="340000")
    city = unit_create(actor=actor, parent=province, name="宿州市", kind=UnitKind.CITY, code="341300")
    county = unit_create(actor=actor, parent=city, name="泗县", kind=UnitKind.COUNTY, code=COUNTY_CODE)
    by_short: dict[str, OrgUnit] = {}
    for name, kind, suffix, short, aliases in DEPARTMENTS:
        unit = unit_create(
            actor=actor,
            parent=county,
            name=name,
            kind=kind,
            code=f"{COUNTY_CODE}-{suffix}",
            short_name=short,
            aliases=aliases,
        )
        by_short[short] = unit
    towns = [
        unit_create(
            actor=actor, parent=county, name=n, kind=UnitKind.TOWN, code=f"{COUNTY_CODE}-{c}", is_sample=True
        )
        for n, c in SAMPLE_TOWNS
    ]
    group = unit_create(
        actor=actor,
        parent=county,
        name="县直各学会",
        kind=UnitKind.GROUP,
        code=f"{COUNTY_CODE}-xh",
        aliases=["各学会", "县直学会"],
    )
    societies = [
        unit_create(
            actor=actor,
            parent=group,
            name=n,
            kind=UnitKind.ASSOCIATION,
            code=f"{COUNTY_CODE}-{c}",
            is_sample=True,
        )
        for n, c in SAMPLE_SOCIETIES
    ]
    departments = [
        u
        for u in by_short.values()
        if u.kind in (UnitKind.DEPARTMENT, UnitKind.ASSOCIATION)
        and u.short_name not in ("县科技局", "县委宣传部")
    ]

    def resolve(names: list[str]) -> list[OrgUnit]:
        out: list[OrgUnit] = []
        for n in names:
            out += {TOWNS: towns, SOCIETIES: societies, ALL_DEPARTMENTS: departments}.get(n, [])
            if n in by_short:
                out.append(by_short[n])
        return out

    campaign = campaign_create(
        actor=actor,
        org_unit=county,
        title="2023年泗县科技活动周",
        year=2023,
        theme="热爱科学 崇尚科学",
        start_date=dt.date(2023, 5, 20),
        end_date=dt.date(2023, 5, 31),
        issue_date=dt.date(2023, 5, 15),
        issuer_text="泗县科学技术局、中共泗县县委宣传部、泗县科学技术协会",
        addressees="各镇（街道）、经济开发区（泗涂产业园），县直各有关单位",
        references=[
            "科技部、中央宣传部、中国科协《关于举办2023年全国科技活动周的通知》（国科函才〔2023〕65号）",
            "省、市有关通知",
        ],
        contact_person="陈曦",
        contact_phone="7022310",
        contact_email="sxkjj7022310@163.com",
        max_video_minutes=3,
        status=Campaign.Status.RUNNING,  # the notice's week under way: everything open (campaigns/lifecycle.py)
        issuers=[by_short["县科技局"], by_short["县委宣传部"], by_short["县科协"]],
        content_themes=THEMES,
    )
    for a in ACTIVITIES:
        activity_save(
            actor=actor,
            campaign=campaign,
            number=a.number,
            title=a.title,
            lead_units=resolve(a.lead),
            cooperating_units=resolve(a.cooperate),
            content=a.content,
            lead_text=a.lead_text,
            cooperating_text=a.cooperate_text,
            schedule_note="另行通知" if a.number == 1 else "",
        )
    requirement_save(
        actor=actor,
        campaign=campaign,
        kind=Requirement.Kind.PUBLICITY,
        title="报送宣传内容及工作人员姓名、手机号",
        due_at=_aware(2023, 5, 18, 23, 59),
        description="由县科技局统一制作宣传展板；现场宣传材料由各单位自行印制。",
        applies_to=[by_short[s] for s in PUBLICITY_UNITS],
    )
    requirement_save(
        actor=actor,
        campaign=campaign,
        kind=Requirement.Kind.MIN_EVENTS,
        title="活动周期间开展专题活动（线上、线下均可）",
        due_at=_aware(2023, 5, 31, 23, 59),
        min_count=1,
        target_count=2,
        description="通知要求至少开展1-2次：至少1次，争取2次。",
    )
    requirement_save(
        actor=actor,
        campaign=campaign,
        kind=Requirement.Kind.FINAL_REPORT,
        title="报送活动总结、开展情况统计表、影像及媒体报道资料",
        due_at=_aware(2023, 5, 30),
        due_is_close_of_business=True,
        description="视频时长不超过3分钟。注意：统计表表注写“5月30日前”，正文写“5月30日下午下班前”，按后者执行；"
        "截止时间早于活动周结束（5月31日）。",
    )
    ctx = DemoContext(
        campaign=campaign,
        county=county,
        city=city,
        province=province,
        units=by_short,
        towns=towns,
        societies=societies,
    )
    _demo_accounts(ctx)
    return ctx


def _demo_accounts(ctx: DemoContext) -> None:
    by_short, county = ctx.units, ctx.county

    def account(
        who: str, username: str, display: str, grants: list[tuple[OrgUnit, str, OrgUnit | None]]
    ) -> None:
        ctx.add_account(who=who, username=username, display_name=display, grants=grants)

    account(
        "县科技局（主办，组织单位）",
        "sx-kjj",
        "陈曦（县科技局）",
        [(county, Role.ORGANIZER, by_short["县科技局"])],
    )
    account(
        "县委宣传部（协办）", "sx-xcb", "县委宣传部", [(county, Role.CO_ORGANIZER, by_short["县委宣传部"])]
    )
    account("县科协（协办）", "sx-kx", "县科协", [(county, Role.CO_ORGANIZER, by_short["县科协"])])
    account(
        "县气象局（参与单位）", "sx-qxj", "县气象局填报员", [(by_short["县气象局"], Role.UNIT_REPORTER, None)]
    )
    account("示例镇一（参与单位）", "sx-town1", "示例镇一填报员", [(ctx.towns[0], Role.UNIT_REPORTER, None)])
    account("宿州市科技局（上级组织单位）", "sz-kjj", "宿州市科技局", [(ctx.city, Role.ORGANIZER, None)])
    account("安徽省科技厅（上级，查看）", "ah-kjt", "安徽省科技厅", [(ctx.province, Role.VIEWER, None)])
