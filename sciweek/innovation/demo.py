"""Demo part: the 2023 泗县 enterprise innovation service and 科技特派员乡村行.

About 40 enterprises across the demo towns and the development zone, 25 experts (15 of them
科技特派员, one with a login: `sx-tpy`), four partner organisations, visits, 25 technology demands at
every status (moved along through the services, so their history and audit entries are real),
confirmed matches, service logs during the week (2023-05-20 … 31) and a few project applications.
Everything is made up for the demo (the credit codes are valid by construction, not real companies).

The part loads the year as it stands at the week's end, each demand step at its own demo moment; a
phase hook (``campaigns.demo_parts.register_demo_phase``) then keeps what has happened by the phase:

- visits (20 in March–April, 10 during the week) and service logs (45, all during the week) are on record
  once their day is over;
- demands were collected (5月4日–11日), reviewed (12日–15日) and put to matching (16日–18日) before the
  week; during it they go to 上门诊断 (21日/22日), 对接 with the confirmed matches two days later, 签约,
  跟踪 and 解决 two days apart (the last on 5月30日 16:00), two are closed (22日–24日);

so at 筹备 and 活动周进行中 the week's panels show nothing done yet (the 20 earlier visits, demands at most in
匹配, no match, no contract), at 总结上报 the week so far, at 结束后 the whole week.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from sciweek.campaigns.demo_parts import (
    DEMO_ACTOR,
    DemoContext,
    PhaseChange,
    register_demo_part,
    register_demo_phase,
)
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import OrgUnit, UnitKind

from . import services
from .choices import Status
from .creditcode import ALPHABET, check_character
from .matching import suggestions
from .models import Demand, DemandChange, Enterprise, Expert, Match, Photo, ServiceLog, Visit

WEEK = dt.date(2023, 5, 20)

# (name stem, division, products, qualifications)
ENTERPRISES = [
    ("丰收农业科技", "01", "优质小麦、玉米种植", ["科技型中小企业"]), ("金穗面粉", "13", "面粉、挂面", ["高新技术企业"]),
    ("绿源果蔬", "01", "设施蔬菜、西瓜", []), ("鑫旺畜牧", "03", "生猪养殖", ["科技型中小企业"]),
    ("泗州米业", "13", "大米加工", []), ("恒达农机", "35", "植保机械、收获机械零部件", ["专精特新"]),
    ("华宇机械制造", "34", "数控机床零部件", ["高新技术企业", "专精特新"]), ("瑞丰食品", "14", "速冻食品、预制菜", []),
    ("汴河纺织", "17", "棉纱、坯布", []), ("天成服饰", "18", "服装", []), ("泗水新材料", "29", "塑料管材", ["高新技术企业"]),
    ("明光电子", "39", "线束、连接器", ["科技型中小企业"]), ("中皖建材", "30", "新型墙体材料", []),
    ("康源生物", "27", "中药饮片", ["高新技术企业"]), ("润田有机肥", "26", "生物有机肥", ["科技型中小企业"]),
    ("清源环保", "42", "秸秆综合利用", []), ("晶阳光伏", "38", "光伏组件支架", []), ("兴农种业", "05", "小麦良种繁育", ["高新技术企业"]),
    ("运河家具", "21", "实木家具", []), ("泗县酿造", "15", "白酒、黄酒", []),
]  # fmt: skip
SUFFIXES = ["有限公司", "股份有限公司"]

# (name, organization, kind, title, discipline, keywords, commissioner)
EXPERTS = [
    ("李明远", "安徽农业大学", "university", "教授", "植物保护", ["小麦病虫害", "赤霉病", "绿色防控", "统防统治"], True),
    ("王素芬", "安徽省农业科学院", "institute", "研究员", "作物学", ["小麦高产栽培", "良种繁育", "测土配方"], True),
    ("陈志刚", "宿州学院", "university", "副教授", "园艺学", ["设施蔬菜", "大棚", "水肥一体化", "西瓜"], True),
    ("赵建国", "安徽农业大学", "university", "教授", "兽医学", ["生猪疫病防控", "非洲猪瘟", "畜禽养殖"], True),
    ("孙晓燕", "安徽科技学院", "university", "副教授", "食品科学技术", ["面粉加工", "预制菜", "食品保鲜", "冷链"], True),
    ("周海波", "宿州市农业科学院", "institute", "高级农艺师", "土壤学", ["土壤改良", "有机肥", "秸秆还田"], True),
    ("吴立新", "安徽农业大学", "university", "副教授", "农业工程", ["植保无人机", "农机", "烘干机"], True),
    ("郑雪梅", "泗县农业技术推广中心", "public", "高级农艺师", "作物学", ["水稻", "玉米", "高标准农田"], True),
    ("钱永强", "宿州学院", "university", "讲师", "畜牧学", ["畜禽养殖", "饲料配方"], True),
    ("冯丽华", "安徽省林业科学研究院", "institute", "研究员", "林学", ["苗木", "经济林", "林下经济"], True),
    ("褚卫东", "安徽科技学院", "university", "教授", "植物保护", ["蔬菜病虫害", "蚜虫", "生物农药"], True),
    ("蒋文静", "安徽省农业科学院", "institute", "副研究员", "园艺学", ["果树栽培", "葡萄", "梨"], True),
    ("沈国庆", "泗县畜牧兽医站", "public", "兽医师", "兽医学", ["牛羊养殖", "疫病防控"], True),
    ("韩晓东", "皖北种业集团", "enterprise", "高级农艺师", "作物学", ["小麦育种", "种子检验检测"], True),
    ("杨春燕", "安徽农业大学", "university", "副教授", "水产学", ["稻虾共养", "水产养殖"], True),
    ("朱永刚", "合肥工业大学", "university", "教授", "机械工程", ["数控机床", "机械加工", "焊接工艺", "小麦收割机"], False),
    ("秦海燕", "合肥工业大学", "university", "副教授", "材料科学", ["高分子", "塑料改性", "复合材料"], False),
    ("许文军", "中国科学技术大学", "university", "研究员", "电子与通信技术", ["线束", "连接器", "视觉检测"], False),
    ("何建平", "安徽工程大学", "university", "教授", "纺织科学技术", ["纺织面料", "印染", "棉纺"], False),
    ("吕志强", "安徽建筑大学", "university", "副教授", "土木建筑工程", ["新型墙体材料", "装配式建筑"], False),
    ("施红梅", "安徽中医药大学", "university", "教授", "药学", ["中药材", "中药饮片", "质量标准"], False),
    ("张海涛", "安徽理工大学", "university", "副教授", "环境科学技术", ["污水处理", "废气治理", "秸秆综合利用"], False),
    ("孔令军", "合肥工业大学", "university", "副教授", "控制科学与工程", ["工业机器人", "伺服", "自动化产线"], False),
    ("曹丽", "安徽科技学院", "university", "讲师", "食品科学技术", ["白酒酿造", "发酵"], False),
    ("严峻", "安徽大学", "university", "教授", "能源科学技术", ["光伏", "储能"], False),
]  # fmt: skip
PARTNERS = [
    ("安徽农业大学", "university", "植物保护、作物学、农业工程", ["小麦", "病虫害防控", "农机装备"]),
    ("合肥工业大学", "university", "机械工程、材料科学", ["数控机床", "智能制造", "复合材料"]),
    ("安徽省农业科学院", "institute", "作物学、园艺学", ["良种繁育", "设施农业", "赤霉病"]),
    ("宿州学院", "university", "食品科学技术、园艺学", ["食品加工", "设施蔬菜"]),
]
# (title, field, type, description, enterprise index)
DEMANDS = [
    ("小麦赤霉病绿色防控", "crops", "research", "小麦抽穗扬花期赤霉病发生较重，希望引进绿色防控和统防统治技术，减少农药用量。", 0),
    ("优质专用小麦品种引进", "crops", "adoption", "需要适合本地的强筋小麦品种和配套高产栽培技术。", 17),
    ("面粉加工节能改造", "food", "process", "面粉生产线能耗偏高，希望优化制粉工艺，降低电耗。", 1),
    ("设施西瓜连作障碍", "crops", "research", "大棚西瓜连作后枯萎病严重，需要土壤改良和嫁接技术。", 2),
    ("生猪非洲猪瘟防控", "livestock", "research", "养殖场需要非洲猪瘟生物安全防控方案和检测能力。", 3),
    ("大米低温储藏保鲜", "food", "process", "大米储存期品质下降，希望引进低温储藏与保鲜技术。", 4),
    ("植保机械喷杆轻量化", "machinery", "research", "植保机械喷杆重量大，需要复合材料轻量化设计。", 5),
    ("数控机床主轴精度提升", "machinery", "research", "数控机床主轴热变形导致加工精度不稳定。", 6),
    ("预制菜保鲜工艺", "food", "process", "速冻预制菜解冻后口感下降，需要冷链和保鲜工艺改进。", 7),
    ("棉纱强力提升", "textile", "process", "棉纱强力不足、断头率高，需要纺纱工艺优化。", 8),
    ("服装智能裁剪设备", "machinery", "equipment", "希望引进自动裁剪设备并改造生产线。", 9),
    ("塑料管材耐候改性", "materials", "research", "户外管材老化快，需要塑料改性配方。", 10),
    ("线束视觉检测", "electronics", "equipment", "线束端子压接质量靠人工检查，需要视觉检测设备。", 11),
    ("墙体材料固废利用", "construction", "research", "希望利用秸秆和固废生产新型墙体材料。", 12),
    ("中药饮片质量标准", "medicine", "testing", "需要建立中药饮片质量检测方法和标准。", 13),
    ("生物有机肥发酵工艺", "crops", "process", "有机肥发酵周期长、腐熟不均匀，希望改进发酵工艺。", 14),
    ("秸秆综合利用", "energy", "research", "秸秆收储和综合利用成本高，寻求秸秆还田和加工技术。", 15),
    ("光伏支架防腐", "energy", "process", "光伏组件支架镀锌层腐蚀，需要表面处理工艺。", 16),
    ("小麦良种繁育检测", "crops", "testing", "种子检验检测能力不足，需要共建检测平台。", 17),
    ("实木家具涂装环保", "construction", "process", "家具涂装废气治理和水性涂料应用。", 18),
    ("白酒酿造发酵控制", "food", "research", "白酒固态发酵出酒率不稳定，需要发酵过程控制技术。", 19),
    ("大棚蔬菜蚜虫防治", "crops", "research", "大棚蔬菜蚜虫抗药性强，希望引进生物农药和绿色防控。", 2),
    ("稻虾共养技术", "livestock", "adoption", "计划开展稻虾共养，需要养殖技术指导。", 0),
    ("农机烘干设备选型", "agri_machinery", "equipment", "秋季粮食烘干能力不足，需要烘干机选型和运行指导。", 5),
    ("面粉品质检测", "food", "testing", "面粉筋度和灰分检测依赖外送，希望自建检测能力。", 1),
]  # fmt: skip
# The status each demand ends at: every status, several of the middle ones.
ENDS = [
    Status.SOLVED, Status.SOLVED, Status.SOLVED, Status.TRACKING, Status.TRACKING, Status.SIGNED, Status.SIGNED,
    Status.CONNECTING, Status.CONNECTING, Status.DIAGNOSIS, Status.DIAGNOSIS, Status.MATCHING, Status.MATCHING,
    Status.MATCHING, Status.REVIEWED, Status.REVIEWED, Status.REVIEWED, Status.COLLECTED, Status.COLLECTED,
    Status.COLLECTED, Status.CLOSED, Status.CLOSED, Status.MATCHING, Status.CONNECTING, Status.COLLECTED,
]  # fmt: skip
ORDER = [
    Status.REVIEWED,
    Status.MATCHING,
    Status.DIAGNOSIS,
    Status.CONNECTING,
    Status.SIGNED,
    Status.TRACKING,
    Status.SOLVED,
]
PLACES = [
    ("village", "东风村"),
    ("village", "大庄村"),
    ("cooperative", "丰源种植专业合作社"),
    ("cooperative", "绿野家庭农场"),
    ("enterprise", "丰收农业科技有限公司"),
]
TOPICS = [
    "小麦赤霉病防控现场指导",
    "大棚蔬菜水肥一体化培训",
    "生猪养殖防疫培训",
    "小麦新品种推广",
    "植保无人机飞防演示",
    "土壤改良技术讲座",
]


def demo_code(n: int) -> str:
    body = (
        "9134132"
        + "MA"
        + ALPHABET[n // 31 % 31]
        + ALPHABET[n % 31]
        + "".join(ALPHABET[(n * 7 + i * 13) % 31] for i in range(6))
    )
    return body + check_character(body)


WEEK_END = timezone.make_aware(dt.datetime(2023, 5, 31, 18, 0))
MATCHES = "demo.innovation_matches"  # the audit note of the matches the demo confirmed (for the hook)
CLOSE_NOTE = "企业已撤回需求"


def _may(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour))


def _towns(county: OrgUnit) -> list[OrgUnit]:
    """The county's towns, then its development zone (the units the demo's records belong to)."""
    under = OrgUnit.objects.filter(path__startswith=county.path)
    return [*under.filter(kind=UnitKind.TOWN).order_by("path"), *under.filter(kind=UnitKind.DEVZONE)]


@dataclass(frozen=True)
class DemoVisit:
    enterprise: int  # index of the demo's enterprises (credit code ``demo_code(n + 1)``)
    date: dt.date
    visitors: str
    findings: str
    demands_raised: str
    confirmed_by_name: str  # "" when the enterprise's contact did not confirm


def _visits() -> list[DemoVisit]:
    """30 visits: a third during the week (5月20日–29日), the rest a month and two months earlier."""
    out = []
    for n in range(30):
        products = ENTERPRISES[n % len(ENTERPRISES)][2]
        out.append(
            DemoVisit(
                enterprise=n,
                date=WEEK + dt.timedelta(days=n % 12) - dt.timedelta(days=30 * (n % 3)),
                visitors="县科技局 陈曦、" + ["镇经发办 刘强", "镇农技站 张敏", "园区管委会 周伟"][n % 3],
                findings=f"了解{products}生产经营和研发情况。",
                demands_raised=DEMANDS[n % len(DEMANDS)][0],
                confirmed_by_name=f"{'王李张刘陈杨赵黄'[n % 8]}经理" if n % 2 == 0 else "",
            )
        )
    return out


@dataclass(frozen=True)
class DemoLog:
    commissioner: int  # index of the 科技特派员 in EXPERTS order
    town: int  # index in ``_towns``
    date: dt.date
    place_kind: str
    place: str
    kind: str
    people_served: int
    hours: int
    topics: str


def _logs(towns: int) -> list[DemoLog]:
    """The commissioners' 45 service logs of the week, the same every time."""
    rng = random.Random(2023)
    out = []
    for n in range(45):
        kind, place = PLACES[n % len(PLACES)]
        town = (n + rng.randrange(2)) % towns
        out.append(
            DemoLog(
                commissioner=n % sum(e[6] for e in EXPERTS),
                town=town,
                date=WEEK + dt.timedelta(days=n % 12),
                place_kind=kind,
                place=place,
                kind=["onsite", "training", "promotion", "online"][n % 4],
                people_served=rng.randrange(8, 80),
                hours=rng.choice([2, 3, 4, 6]),
                topics=TOPICS[n % len(TOPICS)],
            )
        )
    return out


def _done(day: dt.date, at: dt.datetime) -> bool:
    """A dated record (a visit, a service log) is on record once its day is over."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)) <= at


Step = tuple[str, dt.datetime]


def _steps(n: int) -> list[Step]:
    """Demand ``n``'s life: its status after each step and the step's moment (the first: collected)."""
    end = ENDS[n]
    steps: list[Step] = [(Status.COLLECTED, _may(4 + n % 8, 10))]
    if end == Status.COLLECTED:
        return steps
    steps.append((Status.REVIEWED, _may(12 + n % 4, 10)))
    if end == Status.CLOSED:
        return [*steps, (Status.CLOSED, _may(22 + n % 3, 11))]
    if end == Status.REVIEWED:
        return steps
    steps.append((Status.MATCHING, _may(16 + n % 3, 15)))
    later = ORDER[ORDER.index(Status.MATCHING) + 1 : ORDER.index(end) + 1]
    return steps + [(to, _may(21 + n % 2 + 2 * k, 16)) for k, to in enumerate(later)]


def _contract(n: int) -> tuple[Decimal, str]:
    return Decimal(10 + n * 3), f"2023341300{n:06d}"


def _published(n: int) -> bool:
    """The demands the bureau published (once in 匹配): half of those that got that far, never 涉密."""
    return ENDS[n] not in (Status.COLLECTED, Status.REVIEWED, Status.CLOSED) and n % 2 == 0 and n != 13


@register_demo_part("企业创新服务", order=60)
@transaction.atomic
def load_innovation(ctx: DemoContext) -> None:
    # The year's records run to the week's end; on the demo clock (筹备, 5月19日) dates after "today"
    # would be refused, so they are recorded as of the last day of the week (each demand step at its own
    # moment). The phase hook then takes away what has not happened yet at the phase.
    with clock.demo_at(WEEK_END):
        _load_innovation(ctx)


def _load_innovation(ctx: DemoContext) -> None:
    bureau = get_user_model().objects.filter(username="sx-kjj").first() or DEMO_ACTOR
    towns = _towns(ctx.county)
    partners = {
        name: services.partner_create(
            actor=bureau, region=ctx.county, name=name, kind=kind, disciplines=disc, keywords=kw
        )
        for name, kind, disc, kw in PARTNERS
    }
    experts = []
    for n, (name, org, kind, title, discipline, keywords, commissioner) in enumerate(EXPERTS):
        experts.append(services.expert_create(
            actor=bureau, region=ctx.county, name=name, organization=org, org_kind=kind, title=title,
            discipline=discipline, keywords=keywords, is_commissioner=commissioner, phone=f"1395570{n:04d}",
            service_towns=[towns[n % len(towns)]] if commissioner else [], partner=partners.get(org),
        ))  # fmt: skip
    user = ctx.add_account(
        who="科技特派员（李明远）", username="sx-tpy", display_name="科技特派员李明远", grants=[]
    )
    Expert.objects.filter(pk=experts[0].pk).update(user=user)
    enterprises = []
    for n in range(40):
        stem, division, products, quals = ENTERPRISES[n % len(ENTERPRISES)]
        prefix = "泗县" if n < len(ENTERPRISES) else towns[n % len(towns)].name.replace("示例", "")
        enterprises.append(services.enterprise_create(
            actor=bureau, unit=towns[n % len(towns)], name=f"{prefix}{stem}{SUFFIXES[n % 2]}", credit_code=demo_code(n + 1),
            division=division, size=["small", "micro", "medium"][n % 3], qualifications=quals, main_products=products,
            contacts=[{"name": f"{'王李张刘陈杨赵黄'[n % 8]}经理", "position": "总经理", "phone": f"1385570{n:04d}"}],
        ))  # fmt: skip
    for v in _visits():
        services.visit_create(
            actor=bureau, enterprise=enterprises[v.enterprise], date=v.date, visitors=v.visitors,
            findings=v.findings, demands_raised=v.demands_raised, contact_confirmed=bool(v.confirmed_by_name),
            confirmed_by_name=v.confirmed_by_name,
        )  # fmt: skip
    for n, (title, field, kind, description, idx) in enumerate(DEMANDS):
        _demand(bureau, n, enterprises[idx], title, field, kind, description)
    _note_matches(ctx.county)
    commissioners = [x for x in experts if x.is_commissioner]
    for g in _logs(len(towns)):
        services.servicelog_create(
            actor=bureau, expert=commissioners[g.commissioner], unit=towns[g.town], date=g.date,
            place_kind=g.place_kind, place=g.place, kind=g.kind, people_served=g.people_served,
            hours=g.hours, topics=g.topics,
        )  # fmt: skip
    for n, e in enumerate(enterprises[:8]):
        services.application_create(
            actor=bureau, enterprise=e, programme=["科技型中小企业评价入库", "省科技重大专项", "市科技计划项目", "县科技创新券"][n % 4],
            level=["national", "provincial", "city", "county"][n % 4], year=2023,
            status=["submitted", "approved", "preparing", "approved"][n % 4], amount=[None, "50", None, "5"][n % 4],
            guided_by="县科技局",
        )  # fmt: skip
    ctx.lines.append(
        "企业创新服务：40家企业、25位专家（15位科技特派员，账号 sx-tpy）、25项技术需求 —— /innovation/"
    )


def _demand(bureau: Any, n: int, e: Enterprise, title: str, field: str, kind: str, description: str) -> None:
    """Demand ``n`` collected and moved along its steps through the services, each at its moment."""
    steps = _steps(n)
    with clock.demo_at(steps[0][1]):
        d = services.demand_create(
            actor=bureau, enterprise=e, title=title, field=field, demand_type=kind, description=description,
            budget=str(5 + (n * 7) % 60), coop_mode=["commissioned", "joint", "transfer"][n % 3], is_secret=n == 13,
        )  # fmt: skip
    amount, number = _contract(n)
    for to, when in steps[1:]:
        with clock.demo_at(when):
            d.refresh_from_db()
            if to == Status.CONNECTING:
                for s in suggestions(d, limit=3)[:2]:
                    services.match_confirm(
                        actor=bureau, demand=d, kind=s.kind, target_id=s.id, score=s.score, reasons=s.reasons
                    )
                d.refresh_from_db()
            d = services.demand_set_status(
                actor=bureau, demand=d, to=to, version=d.version, note=CLOSE_NOTE if to == Status.CLOSED else "",
                contract_amount=str(amount), contract_number=number,
            )  # fmt: skip
            if to == Status.MATCHING and _published(n):
                d = services.demand_publish(actor=bureau, demand=d, publish=True, version=d.version)


def _note_matches(county: OrgUnit) -> None:
    """The matches the demo confirmed, noted once (the suggestions they came from depend on what was
    solved when they were made): the phase hook puts them back from this note after taking them away."""
    rows = Match.objects.filter(demand__in=_demo_demands()).order_by("pk")
    audit_log(
        actor=DEMO_ACTOR,
        action=MATCHES,
        object_type="demo",
        object_id=str(county.pk),
        object_repr="企业创新服务",
        after={
            "matches": [[m.demand_id, m.kind, m.expert_id, m.partner_id, m.score, m.reasons] for m in rows]
        },
    )


def _demo_demands() -> Any:
    """The demo's demands: its titles at its enterprises (a visitor's have other titles or enterprises)."""
    return Demand.objects.filter(
        enterprise__credit_code__in=[demo_code(n + 1) for n in range(40)], title__in=[d[0] for d in DEMANDS]
    )


@register_demo_phase("企业创新服务")
def innovation_at_phase(change: PhaseChange) -> None:
    """Bring the demo's visits, service logs and demands to the phase's moment (see the module's
    docstring). Each kind is compared with what is stored first and left alone when it matches (a second
    call changes nothing); what differs is fixed with bulk statements. A visitor's own records (other
    visitors' names, topics, titles or enterprises, a match with an expert the demo did not match) are
    never touched; a demo demand a visitor moved along is put back on its plan, as the statistics part
    does with its five reports."""
    region = change.campaign.org_unit
    codes = {demo_code(n + 1): n for n in range(40)}
    enterprises = {codes[e.credit_code]: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    if not enterprises:
        return
    bureau = get_user_model().objects.filter(username="sx-kjj").first()
    _visits_at(change.at, enterprises, bureau)
    _logs_at(change.at, region, bureau)
    _demands_at(change.at, enterprises, bureau)


def _drop_photos(photos: Any) -> None:
    """The files of photos whose visit or log goes (the rows go with it), deleted once that is committed."""
    names = [n for pair in photos.values_list("file", "thumbnail") for n in pair if n]

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def _visits_at(at: dt.datetime, enterprises: dict[int, Enterprise], bureau: Any) -> None:
    plan = {
        (enterprises[v.enterprise].pk, v.date, v.visitors): v
        for v in _visits()
        if v.enterprise in enterprises
    }
    stored = {
        (e, d, who): pk
        for pk, e, d, who in Visit.objects.filter(
            enterprise__in=enterprises.values(), visitors__in={v.visitors for v in plan.values()}
        ).values_list("pk", "enterprise_id", "date", "visitors")
    }
    early = [pk for key, pk in stored.items() if key in plan and not _done(key[1], at)]
    if early:
        _drop_photos(Photo.objects.filter(visit_id__in=early))
        Visit.objects.filter(pk__in=early).delete()
    Visit.objects.bulk_create(
        [
            Visit(
                enterprise=enterprises[v.enterprise],
                unit=enterprises[v.enterprise].unit,
                date=v.date,
                visitors=v.visitors,
                findings=v.findings,
                demands_raised=v.demands_raised,
                contact_confirmed=bool(v.confirmed_by_name),
                confirmed_by_name=v.confirmed_by_name,
                created_by=bureau,
            )
            for key, v in plan.items()
            if _done(v.date, at) and key not in stored
        ]
    )


def _logs_at(at: dt.datetime, region: OrgUnit, bureau: Any) -> None:
    names = [e[0] for e in EXPERTS if e[6]]
    found = {x.name: x for x in Expert.objects.filter(region=region, name__in=names, is_commissioner=True)}
    if len(found) < len(names):
        return
    commissioners = [found[name] for name in names]
    towns = _towns(region)
    plan = {
        (commissioners[g.commissioner].pk, g.date, g.topics, g.place, g.kind): g for g in _logs(len(towns))
    }
    stored = {
        (x, d, t, p, k): pk
        for pk, x, d, t, p, k in ServiceLog.objects.filter(
            expert__in=commissioners, topics__in=TOPICS
        ).values_list("pk", "expert_id", "date", "topics", "place", "kind")
    }
    early = [pk for key, pk in stored.items() if key in plan and not _done(key[1], at)]
    if early:
        _drop_photos(Photo.objects.filter(log_id__in=early))
        ServiceLog.objects.filter(pk__in=early).delete()
    ServiceLog.objects.bulk_create(
        [
            ServiceLog(
                expert=commissioners[g.commissioner],
                unit=towns[g.town],
                date=g.date,
                place_kind=g.place_kind,
                place=g.place,
                kind=g.kind,
                people_served=g.people_served,
                hours=g.hours,
                topics=g.topics,
                created_by=bureau,
            )
            for key, g in plan.items()
            if _done(g.date, at) and key not in stored
        ]
    )


def _demands_at(at: dt.datetime, enterprises: dict[int, Enterprise], bureau: Any) -> None:
    number = {(enterprises[idx].pk, d[0]): n for n, d in enumerate(DEMANDS) if (idx := d[4]) in enterprises}
    demands = {
        number[(d.enterprise_id, d.title)]: d for d in _demo_demands() if (d.enterprise_id, d.title) in number
    }
    history: dict[int, list[tuple[str, dt.datetime]]] = {d.pk: [] for d in demands.values()}
    for demand_id, to, when in DemandChange.objects.filter(demand__in=demands.values()).values_list(
        "demand_id", "to_status", "at"
    ):
        history[demand_id].append((to, when))
    # The demo's matches are the ones its note names (demand, expert or organisation); a match a visitor
    # confirmed (another expert) is theirs.
    note = AuditEvent.objects.filter(action=MATCHES).order_by("-pk").values_list("after", flat=True).first()
    noted: dict[int, list[list[Any]]] = {}
    for row in (note or {}).get("matches", []):
        noted.setdefault(row[0], []).append(row)
    stored: dict[int, set[tuple[Any, ...]]] = {}
    ours: dict[int, list[int]] = {}
    for pk, demand_id, expert_id, partner_id, when in Match.objects.filter(
        demand__in=demands.values()
    ).values_list("pk", "demand_id", "expert_id", "partner_id", "confirmed_at"):
        if any(r[2] == expert_id and r[3] == partner_id for r in noted.get(demand_id, [])):
            stored.setdefault(demand_id, set()).add((expert_id, partner_id, when))
            ours.setdefault(demand_id, []).append(pk)
    targets = {n: [s for s in _steps(n) if s[1] <= at] for n in demands}

    def matches(n: int) -> set[tuple[Any, ...]]:
        when = _connected(targets[n])
        return {(r[2], r[3], when) for r in noted.get(demands[n].pk, [])} if when else set()

    dirty = [
        n
        for n, d in demands.items()
        if history[d.pk] != targets[n]
        or d.status != targets[n][-1][0]
        or stored.get(d.pk, set()) != matches(n)
    ]
    if not dirty:
        return
    name = bureau.get_username() if bureau else DEMO_ACTOR
    changes, moved, made = [], [], []
    for n in dirty:
        d, steps = demands[n], targets[n]
        before = [""] + [to for to, _when in steps[:-1]]
        changes += [
            DemandChange(
                demand=d,
                from_status=old,
                to_status=to,
                note=CLOSE_NOTE if to == Status.CLOSED else "",
                actor_name=name,
                at=when,
            )
            for old, (to, when) in zip(before, steps, strict=True)
        ]
        signed = any(to == Status.SIGNED for to, _when in steps)
        d.status = steps[-1][0]
        d.contract_amount, d.contract_number = _contract(n) if signed else (None, "")
        d.version += 1
        moved.append(d)
        if connected := _connected(steps):
            made += [
                Match(
                    demand=d,
                    kind=kind,
                    expert_id=expert_id,
                    partner_id=partner_id,
                    score=score,
                    reasons=reasons,
                    confirmed_by=bureau,
                    confirmed_at=connected,
                )
                for _d, kind, expert_id, partner_id, score, reasons in noted.get(d.pk, [])
            ]
    DemandChange.objects.filter(demand__in=moved).delete()
    DemandChange.objects.bulk_create(changes)
    Demand.objects.bulk_update(moved, ["status", "contract_amount", "contract_number", "version"])
    Match.objects.filter(pk__in=[pk for d in moved for pk in ours.get(d.pk, [])]).delete()
    Match.objects.bulk_create(made)


def _connected(steps: list[Step]) -> dt.datetime | None:
    """When the demand went to 对接 (its matches confirmed then), None if not by the end of ``steps``."""
    return next((when for to, when in steps if to == Status.CONNECTING), None)
