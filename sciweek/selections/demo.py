"""The demo's 2023 泗县最美科技工作者 selection: twelve nominations from the towns, the zone and the
societies, review done, a public vote open through the week with a live tally and two voided bursts."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sciweek.campaigns.demo_parts import DEMO_ACTOR, DemoContext, register_demo_part

from .models import Nomination, Selection, Vote
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


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour, minute))


@register_demo_part("最美科技工作者评选", order=60)
def demo_selection(ctx: DemoContext) -> None:
    zone = ctx.units["经济开发区（泗涂产业园）"]
    nominators = [*ctx.towns, zone, *ctx.societies]
    selection = selection_create(
        actor=DEMO_ACTOR,
        campaign=ctx.campaign,
        title="2023年泗县最美科技工作者",
        nominate_until=_at(12, 17, 30),
        nominators=nominators,
        default_quota=2,
        places=10,
    )
    rng = random.Random(2023)  # the same demo every time
    nominations = []
    for i, (name, gender, work, post, summary) in enumerate(PEOPLE):
        status = Nomination.Status.SHORTLISTED if i < 11 else Nomination.Status.RETURNED
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
        stage=Selection.Stage.REVIEWING, vote_enabled=True, vote_from=_at(15, 8), vote_until=_at(31, 18)
    )
    votes = []
    shortlisted = [n for n in nominations if n.status == Nomination.Status.SHORTLISTED]
    for v in range(420):  # ordinary voters over four days
        phone = f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}"
        when = _at(15 + v % 4, 8 + rng.randint(0, 13), rng.randint(0, 59))
        for cand in rng.sample(shortlisted, rng.randint(1, 3)):
            votes.append(
                _vote(
                    selection,
                    cand,
                    phone,
                    when,
                    f"36.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(1, 250)}",
                )
            )
    burst_a = [
        _vote(selection, shortlisted[4], f"1705571{i:04d}", _at(17, 2, i % 10), "112.28.9.17")
        for i in range(40)
    ]
    burst_b = [
        _vote(selection, shortlisted[7], f"1718890{i:04d}", _at(18, 3, 30), "223.240.1.5") for i in range(25)
    ]
    Vote.objects.bulk_create(votes + burst_a + burst_b)
    Vote.objects.filter(ip__in=["112.28.9.17", "223.240.1.5"]).update(
        voided=True, void_reason="同一地址、虚拟号段凌晨集中投票，判定为刷票"
    )
    tally_rebuild(selection)
    ctx.lines.append(
        f"已载入最美科技工作者评选（{len(nominations)}人推荐，网络投票/selections/{selection.pk}/vote/）。"
    )


def _vote(selection: Selection, candidate: Nomination, phone: str, at: dt.datetime, ip: str) -> Vote:
    return Vote(
        selection=selection, candidate=candidate, phone_key=phone_key(phone), phone_block=phone[:7],
        day=timezone.localtime(at).date(), at=at, ip=ip, user_agent="Mozilla/5.0 (演示)",
    )  # fmt: skip


EXPERTS = [
    ("sx-zj1", "高立民", "泗县农业农村局"),
    ("sx-zj2", "韩雪梅", ""),
    ("sx-zj3", "邓国华", ""),
    ("sx-zj4", "曹静", ""),
    ("sx-zj5", "彭志远", ""),
]


@register_demo_part("最美科技工作者专家评审", order=61)
def demo_selection_review(ctx: DemoContext) -> None:
    """Five experts, every one scoring every candidate (submitted), so the committee page shows the
    trimmed expert score beside the vote and the combined score."""
    from sciweek.judging.models import Assignment
    from sciweek.judging.services import judge_pledge

    from .services.review import review_assign, review_judge_create, review_open, review_score_save

    selection = Selection.objects.filter(campaign=ctx.campaign, title="2023年泗县最美科技工作者").first()
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
    rng = random.Random(530)
    criteria = list(round_.criteria.order_by("order"))
    for a in Assignment.objects.filter(judging=round_).select_related("judge__user", "item", "judging"):
        level = 0.62 + 0.3 * rng.random()
        values = {
            str(c.pk): float(round(float(c.max_score) * min(1.0, level + rng.uniform(-0.06, 0.06)) * 2) / 2)
            for c in criteria
        }
        review_score_save(
            actor=a.judge.user, selection=selection, judge=a.judge, assignment=a, values=values,
            comment="事迹真实感人，材料翔实。", submit=True, version=None,
        )  # fmt: skip
    ctx.lines.append(
        f"最美评选专家评审：5位专家已评分（评审专家登录后进入 /selections/{selection.pk}/judge/；"
        f"评审委员会页 /manage/selections/{selection.pk}/decide/ 显示综合得分）。"
    )
