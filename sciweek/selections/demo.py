"""The demo's 2023 泗县最美科技工作者 selection: twelve nominations from the towns, the zone and the
societies (sent by 5月11日, eleven shortlisted, one returned), a public vote open 5月15日 08:00 – 31日
18:00 with a live tally and two voided bursts, and five experts' review.

Both parts follow the demo clock (phase hooks, ``campaigns.demo_parts.register_demo_phase``):

- the vote: 420 voters spread over the vote's days (and the two bursts of 5月17日/18日, voided); a phase
  shows the votes cast by its moment: at 筹备 the first four days', at 总结上报 all but the last day's, at
  结束后 the closed vote's;
- the experts score on 5月22日–26日 (one expert a day), so at 筹备 and 活动周进行中 no score is in (sx-zj1
  can score live), from 总结上报 on all 55 and the committee page shows the combined scores.

- the committee and the 公示 (结束后 only, 6月2日 10:00): on 6月1日 09:00, the vote closed, the organizer
  sx-kjj takes the first ten of the combined ranking (11 candidates for 10 places: 差额) and opens the
  公示 from 6月1日 for 5 working days (to 6月7日) on the portal (/selections/<id>/publicity/, linked from
  the front page and activity 4) with the objection form; an objection lodged 6月1日 15:20 was answered
  6月2日 09:30 (部分属实，不影响当选). All through the services (audited, at their demo moments). At an
  earlier phase none of it exists: a jump back takes the demo's decision, its 公示 and the objections
  lodged after the moment away (a decision a visitor took live, with another note, stays).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from sciweek.campaigns.demo_parts import (
    DEMO_ACTOR,
    DemoContext,
    PhaseChange,
    register_demo_part,
    register_demo_phase,
)
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.judging.models import Assignment, Criterion, Judging, Score
from sciweek.judging.scoring import weighted_total

from .models import Nomination, Selection, Vote
from .services.review import review_round
from .services.setup import selection_create
from .services.voting import phone_key, tally_rebuild

PEOPLE = [
    ("刘建国", "男", "泗县农业技术推广中心", "推广员、高级农艺师", "小麦赤霉病统防统治，带动全镇节本增效。"),
    ("陈秀兰", "女", "泗县人民医院", "主任医师", "三十年扎根县域，开展胸痛中心建设，义诊千余场。"),
    ("王志强", "男", "安徽某智能装备有限公司", "研发部经理", "攻关农机智能控制，获授权发明专利6项。"),
    ("张丽娟", "女", "泗县第一中学", "物理教师", "指导学生科技创新作品获省级一等奖。"),
    ("赵永福", "男", "示例镇一农技站", "站长", "推广稻虾共作模式，亩均增收两千元。"),
    ("孙红梅", "女", "示例镇二畜牧兽医站", "兽医师", "建立生猪疫病监测网，保障全镇养殖安全。"),
    ("周海涛", "男", "泗县气象局", "工程师", "完善乡镇气象预警，服务秋收抢种。"),
    ("吴晓燕", "女", "泗县经济开发区某新材料公司", "总工程师", "主持新型环保材料中试，实现产业化。"),
    ("郑家宝", "男", "泗县水利局", "高级工程师", "推进智慧灌区建设，节水两成。"),
    ("冯玉兰", "女", "示例街道一社区卫生服务中心", "全科医生", "开展老年慢病科普，惠及居民万余人。"),
    ("褚明亮", "男", "泗县农学会", "会员、种植大户", "试验示范新品种二十余个。"),
    ("蒋文静", "女", "泗县医学会", "副主任医师", "组建科普志愿队，进村入户讲健康。"),
]


TITLE = "2023年泗县最美科技工作者"
SHORTLISTED = 11  # the first eleven of PEOPLE; the twelfth was returned
VOTE_FROM, VOTE_UNTIL = (15, 8), (31, 18)  # May 2023: (day, hour)
DEMO_UA = "Mozilla/5.0 (演示)"  # the demo's votes, told from a visitor's by it
BURST_IPS = ("112.28.9.17", "223.240.1.5")
BURST_REASON = "同一地址、虚拟号段凌晨集中投票，判定为刷票"


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour, minute))


def _selection(campaign: Campaign) -> Selection | None:
    return Selection.objects.filter(campaign=campaign, title=TITLE).first()


@register_demo_part("最美科技工作者评选", order=60)
def demo_selection(ctx: DemoContext) -> None:
    zone = ctx.units["经济开发区（泗涂产业园）"]
    nominators = [*ctx.towns, zone, *ctx.societies]
    selection = selection_create(
        actor=DEMO_ACTOR,
        campaign=ctx.campaign,
        title=TITLE,
        nominate_until=_at(12, 17, 30),
        nominators=nominators,
        default_quota=2,
        places=10,
    )
    nominations = []
    for i, (name, gender, work, post, summary) in enumerate(PEOPLE):
        status = Nomination.Status.SHORTLISTED if i < SHORTLISTED else Nomination.Status.RETURNED
        nominations.append(
            Nomination.objects.create(
                selection=selection,
                unit=nominators[i % len(nominators)],
                name=name,
                gender=gender,
                birth_date=dt.date(1968 + i, 1 + i % 12, 10),
                work_unit=work,
                post=post,
                field="",
                mobile=f"1390557{1000 + i:04d}",
                summary=summary,
                deeds=summary + "长期坚守一线，事迹突出，群众认可度高。",
                confirmed_rules=list(range(len(selection.eligibility_rules))),
                status=status,
                reason="" if status == Nomination.Status.SHORTLISTED else "请补充推荐单位盖章意见扫描件",
                submitted_at=_at(11, 9 + i % 8),
            )
        )
    Selection.objects.filter(pk=selection.pk).update(
        stage=Selection.Stage.REVIEWING,
        vote_enabled=True,
        vote_from=_at(*VOTE_FROM),
        vote_until=_at(*VOTE_UNTIL),
    )
    # Every vote of the window; the phase hook keeps those cast by the phase's moment.
    candidates = tuple(n.pk for n in nominations[:SHORTLISTED])
    Vote.objects.bulk_create(_votes(selection, _plan(candidates, settings.SECRET_KEY)))
    tally_rebuild(selection)
    ctx.lines.append(
        f"已载入最美科技工作者评选（{len(nominations)}人推荐，网络投票/selections/{selection.pk}/vote/）。"
    )


PlannedVote = tuple[int, str, str, dt.datetime, str, bool]  # candidate, phone key and block, at, ip, voided


@functools.lru_cache(maxsize=4)
def _plan(candidates: tuple[int, ...], secret: str) -> tuple[PlannedVote, ...]:
    """The demo's votes over the whole window, the same every time (kept per process: every jump asks):
    420 voters, each on one of the vote's days (1–3 candidates), and two night-time bursts from one
    address each (voided as 刷票). ``secret`` keys the cache: the phone keys are keyed hashes."""
    rng = random.Random(2023)  # the same demo every time
    days = VOTE_UNTIL[0] - VOTE_FROM[0] + 1
    votes: list[PlannedVote] = []
    for v in range(420):  # ordinary voters over the vote's days
        phone = f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}"
        day, hour = VOTE_FROM[0] + v % days, 8 + rng.randint(0, 13)
        when = _at(day, min(hour, VOTE_UNTIL[1] - 1) if day == VOTE_UNTIL[0] else hour, rng.randint(0, 59))
        key = phone_key(phone)
        for cand in rng.sample(candidates, rng.randint(1, 3)):
            ip = f"36.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(1, 250)}"
            votes.append((cand, key, phone[:7], when, ip, False))
    for cand, prefix, count, moment, ip in (
        (candidates[4], "1705571", 40, lambda i: _at(17, 2, i % 10), BURST_IPS[0]),
        (candidates[7], "1718890", 25, lambda i: _at(18, 3, 30), BURST_IPS[1]),
    ):
        votes += [(cand, phone_key(f"{prefix}{i:04d}"), prefix, moment(i), ip, True) for i in range(count)]
    return tuple(votes)


def _votes(selection: Selection, planned: Iterable[PlannedVote]) -> list[Vote]:
    return [
        Vote(
            selection=selection,
            candidate_id=cand,
            phone_key=key,
            phone_block=block,
            day=timezone.localtime(at).date(),
            at=at,
            ip=ip,
            user_agent=DEMO_UA,
            voided=voided,
            void_reason=BURST_REASON if voided else "",
        )
        for cand, key, block, at, ip, voided in planned
    ]


@register_demo_phase("最美科技工作者评选")
def votes_at_phase(change: PhaseChange) -> None:
    """The demo's votes (known by their user agent) cast after the phase's moment are taken away, those
    cast by then and missing are put back, and the tally is recounted when anything changed. A
    visitor's votes (a real browser's) are left as they are. A count when nothing is to do, else a read
    and two bulk statements."""
    selection = _selection(change.campaign)
    if selection is None:
        return
    named = dict(
        Nomination.objects.filter(selection=selection, name__in=[p[0] for p in PEOPLE]).values_list(
            "name", "pk"
        )
    )
    shortlisted = tuple(named[p[0]] for p in PEOPLE[:SHORTLISTED] if p[0] in named)
    if len(shortlisted) < SHORTLISTED:
        return  # not the demo's own selection any more
    due = [v for v in _plan(shortlisted, settings.SECRET_KEY) if v[3] <= change.at]
    demo = Vote.objects.filter(selection=selection, user_agent=DEMO_UA)
    removed, _by_model = demo.filter(at__gt=change.at).delete()
    if not removed and demo.count() == len(due):
        return
    have = set(demo.values_list("candidate_id", "phone_key", "at"))
    missing = _votes(selection, (v for v in due if (v[0], v[1], v[3]) not in have))
    Vote.objects.bulk_create(missing)
    if removed or missing:
        tally_rebuild(selection)


EXPERTS = [
    ("sx-zj1", "高立民", "泗县农业农村局"),
    ("sx-zj2", "韩雪梅", ""),
    ("sx-zj3", "邓国华", ""),
    ("sx-zj4", "曹静", ""),
    ("sx-zj5", "彭志远", ""),
]


@register_demo_part("最美科技工作者专家评审", order=61)
def demo_selection_review(ctx: DemoContext) -> None:
    """Five experts, every one scoring every candidate (submitted, each at its demo moment), so the
    committee page shows the trimmed expert score beside the vote and the combined score."""
    from sciweek.judging.services import judge_pledge

    from .services.review import review_assign, review_judge_create, review_open, review_score_save

    selection = _selection(ctx.campaign)
    if selection is None:
        return
    round_ = review_open(actor=DEMO_ACTOR, selection=selection)
    outside = ["宿州学院", "安徽省农业科学院", "宿州市科学技术协会", "宿州市立医院"]
    for i, (username, name, _unit) in enumerate(EXPERTS):
        user = None
        if i == 0:  # the one account `make run` prints
            user = ctx.add_account(who="最美评选评审专家", username=username, display_name=name, grants=[])
        judge, _pw = review_judge_create(
            actor=DEMO_ACTOR,
            selection=selection,
            username=username,
            name=name,
            unit=ctx.units.get("县农业农村局") if i == 0 else None,
            unit_text="" if i == 0 else outside[i - 1],
            user=user,
        )
        judge_pledge(judge=judge, actor=DEMO_ACTOR)
    review_assign(actor=DEMO_ACTOR, selection=selection)
    criteria = list(round_.criteria.order_by("order"))
    for a in Assignment.objects.filter(judging=round_).select_related("judge__user", "item", "judging"):
        with clock.demo_at(_scored_at(a) or clock.now()):
            review_score_save(
                actor=a.judge.user, selection=selection, judge=a.judge, assignment=a,
                values=_expert_values(criteria, a), comment=COMMENT, submit=True, version=None,
            )  # fmt: skip
    ctx.lines.append(
        f"最美评选专家评审：5位专家于5月22日–26日评分（总结上报起可见；此前评审专家登录后进入"
        f" /selections/{selection.pk}/judge/ 评分；评审委员会页 /manage/selections/{selection.pk}/decide/"
        "显示综合得分）。"
    )


COMMENT = "事迹真实感人，材料翔实。"


def _scored_at(a: Assignment) -> dt.datetime | None:
    """When the demo's expert scored this candidate: expert k on 5月(22+k)日 from 20:00, three minutes a
    candidate (None: not a demo expert or candidate)."""
    experts = [e[0] for e in EXPERTS]
    people = [p[0] for p in PEOPLE]
    if a.judge.user.username not in experts or a.item.label not in people:
        return None
    k = experts.index(a.judge.user.username)
    return _at(22 + k, 20) + dt.timedelta(minutes=3 * people.index(a.item.label))


def _expert_values(criteria: list[Criterion], a: Assignment) -> dict[str, float]:
    """The demo expert's points for the candidate, the same every time."""
    rng = random.Random(f"530/{a.judge.user.username}/{a.item.label}")
    level = 0.62 + 0.3 * rng.random()
    return {
        str(c.pk): float(round(float(c.max_score) * min(1.0, level + rng.uniform(-0.06, 0.06)) * 2) / 2)
        for c in criteria
    }


@register_demo_phase("最美科技工作者专家评审")
def review_at_phase(change: PhaseChange) -> None:
    """The demo experts' scores are in once their moment (5月22日–26日) has passed: later ones are taken
    away (only a score at exactly its demo moment: one an expert gave live, e.g. sx-zj1 at 筹备, is the
    visitor's and stays), missing ones put back as submitted. Bulk writes."""
    selection = _selection(change.campaign)
    round_ = review_round(selection) if selection else None
    if round_ is None:
        return
    judging = Judging.objects.prefetch_related("criteria").get(pk=round_.pk)
    plan = {
        a.pk: (a, at)
        for a in Assignment.objects.filter(judging=judging).select_related("judge__user", "item")
        if (at := _scored_at(a)) is not None
    }
    stored = dict(
        Score.objects.filter(assignment__judging=judging).values_list("assignment_id", "submitted_at")
    )
    late = [pk for pk, (_a, at) in plan.items() if at > change.at and stored.get(pk, False) == at]
    if late:
        Score.objects.filter(assignment_id__in=late).delete()
    criteria = sorted(judging.criteria.all(), key=lambda c: c.order)
    missing = [a for pk, (a, at) in plan.items() if at <= change.at and pk not in stored]
    Score.objects.bulk_create(
        [
            Score(
                assignment=a,
                values=(values := _expert_values(criteria, a)),
                total=weighted_total(criteria, values),
                comment=COMMENT,
                status=Score.Status.SUBMITTED,
                submitted_at=_scored_at(a),
            )
            for a in missing
        ]
    )


# --- The committee's decision and the 公示 (结束后) ------------------------------------------------------
# The vote closed 5月31日 18:00; on 6月1日 09:00 the committee (the organizer, sx-kjj) takes the first
# ``places`` of the combined ranking (11 candidates for 10 places: 差额), the 公示 opens the same day for
# its working days, an objection comes in that afternoon and is answered the next morning, before the
# 结束后 moment (6月2日 10:00). All of it through the real services, so the audit log tells it as it
# would be told live; at an earlier phase none of it exists.

DECIDED_AT = timezone.make_aware(dt.datetime(2023, 6, 1, 9))
PUBLICIZE_FROM = dt.date(2023, 6, 1)
OBJECTED_AT = timezone.make_aware(dt.datetime(2023, 6, 1, 15, 20))
ANSWERED_AT = timezone.make_aware(dt.datetime(2023, 6, 2, 9, 30))
DECISION_NOTE = (
    "经评审委员会审议，按专家评审与网络投票的综合得分排名，确定前10名为当选人选（候选人11名，差额1名）。"
)
OBJECTOR = ("李卫东", "13905571234")
OBJECTION = "反映该同志所报“获授权发明专利6项”中有2项为实用新型专利，请核实。"
ANSWER = (
    "经核查，该同志获授权发明专利4项、实用新型专利2项，推荐材料表述有误，已由推荐单位更正；"
    "其主要事迹属实，不影响当选。已电话告知异议人。"
)


@register_demo_part("最美科技工作者评审委员会与公示", order=62)
def demo_selection_publicity(ctx: DemoContext) -> None:
    """Nothing at load itself: the phase hook (below) takes the decision and opens the 公示 at 结束后."""
    selection = _selection(ctx.campaign)
    if selection is not None:
        ctx.lines.append(
            f"最美评选结束后（6月1日）评审委员会确定当选人选并公示 /selections/{selection.pk}/publicity/"
            "（含一条已答复的异议）；此前各阶段尚无决定和公示。"
        )


def _organizer() -> object:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="sx-kjj").first() or DEMO_ACTOR


@register_demo_phase("最美科技工作者评审委员会与公示")
def publicity_at_phase(change: PhaseChange) -> None:
    """From 6月1日 09:00 on: the committee's decision (the first ``places`` of the combined ranking), the
    公示 from 6月1日, and the demo's objection answered; before it, the demo's decision and 公示 are taken
    back (winners to candidates, the stage to 专家评审) with every objection lodged after the moment. A
    decision a visitor took live (another note) is left as theirs; at 结束后 its 公示 is opened for it.
    A read when nothing is to do."""
    from .models import Objection
    from .ranking import ranking
    from .services.publicity import objection_answer, objection_submit, publicity_start, selection_decide

    selection = _selection(change.campaign)
    if selection is None:
        return
    ours = selection.decision_note == DECISION_NOTE
    if change.at < DECIDED_AT:
        Objection.objects.filter(selection=selection, created_at__gt=change.at).delete()
        undo: dict[str, object] = {}
        if selection.stage in (Selection.Stage.PUBLICIZING, Selection.Stage.PUBLISHED) and (
            selection.publicize_from == PUBLICIZE_FROM
        ):
            undo |= {"stage": Selection.Stage.COMMITTEE, "publicize_from": None, "publicize_until": None}
        if ours:
            undo |= {"stage": Selection.Stage.REVIEWING, "decision_note": ""}
            Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER).update(
                status=Nomination.Status.SHORTLISTED
            )
        if undo:
            Selection.objects.filter(pk=selection.pk).update(**undo, version=selection.version + 1)
        return
    if selection.stage in (Selection.Stage.PUBLICIZING, Selection.Stage.PUBLISHED):
        return  # already taken (by the demo at an earlier jump, or live)
    organizer = _organizer()
    if selection.stage != Selection.Stage.COMMITTEE:
        rows, _weight = ranking(selection)
        winners = [r.nomination.pk for r in rows if r.combined is not None][: selection.places]
        if not winners:
            return  # no expert score in: nothing the committee could decide on
        with clock.demo_at(DECIDED_AT):
            selection_decide(actor=organizer, selection=selection, winner_ids=winners, note=DECISION_NOTE)
        selection.refresh_from_db()
    with clock.demo_at(DECIDED_AT):
        selection = publicity_start(actor=organizer, selection=selection, start=PUBLICIZE_FROM)
    if change.at < OBJECTED_AT:
        return
    target = (
        Nomination.objects.filter(
            selection=selection, status=Nomination.Status.WINNER, name=PEOPLE[2][0]
        ).first()
        or Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER).first()
    )
    if target is None:
        return
    with clock.demo_at(OBJECTED_AT):
        objection = objection_submit(
            selection=selection, nomination_id=target.pk, name=OBJECTOR[0], phone=OBJECTOR[1],
            content=OBJECTION, ip="36.7.128.21",
        )  # fmt: skip
    if change.at >= ANSWERED_AT:
        with clock.demo_at(ANSWERED_AT):
            objection_answer(
                actor=organizer, objection=objection, outcome=Objection.Outcome.PARTLY, answer=ANSWER
            )
