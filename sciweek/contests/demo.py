"""The demo contest: the 2023 泗县青少年科技创新大赛 with ~60 entries from sample schools, 9 judges (some
with conflicts), 初评 scored, the best shortlisted, 终评 partly scored.

Everything goes through the same services as real use. Files are small real PDFs and PNGs made here.
``build_demo_contest`` is also what the tests call (with fewer entries when they like).

The contest's stages take their dates from the week (``rules.STAGE_OFFSETS``): 初评 5月5日–12日, 终评
5月18日–20日, 公示 from 5月21日, 公布 from 5月28日. Its scores carry those dates (初评 scored by 5月12日,
the shortlisted half-scored on 5月18日), and its 终评 follows the demo clock (a phase hook,
``campaigns.demo_parts.register_demo_phase``):

- 筹备 and 活动周进行中 (5月19日, 5月20日 09:10): 终评 under way, partly scored (sx-judge1 has an entry
  left to score); nothing public yet;
- 总结上报 and 结束后: every 终评 score submitted (the judges finished on 5月20日 afternoon), so the
  ranking, awards and the 公示 / 公布 pages (open by their own dates) rest on the complete 终评.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from sciweek.campaigns.demo_parts import (
    DEMO_ACTOR,
    DemoContext,
    PhaseChange,
    register_demo_part,
    register_demo_phase,
)
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.judging.models import Assignment, ConflictKind, Judging, Score
from sciweek.judging.scoring import score_save, weighted_total
from sciweek.judging.services import assignment_run, conflict_declare, criteria_for, judge_pledge
from sciweek.orgs.models import OrgUnit, Role, UnitKind
from sciweek.orgs.services import unit_create

from . import rules
from .demo_data import (
    GIVEN,
    METHODS,
    OPENINGS,
    PAINT_PARTS,
    PAINTINGS,
    RESULTS,
    SCHOOLS,
    SURNAMES,
    TOPICS,
    TUTOR_TITLES,
)
from .entries import EntryIn, StudentIn, entry_create
from .models import Category, Contest, SchoolStage, StageCode
from .results import shortlist
from .setup import contest_create, contest_judge_create, judging_of, rounds_sync


@dataclass(frozen=True)
class JudgeSpec:
    username: str
    name: str
    group: str
    expertise: tuple[str, ...]
    school: str | None = None  # works at this demo school: conflicts found automatically


JUDGES = [
    JudgeSpec("sx-judge1", "陆文华", "小学组", ("物质科学", "技术与设计"), "xx1"),
    JudgeSpec("sx-judge2", "钱晓燕", "小学组", ("生命科学", "地球与空间科学")),
    JudgeSpec("sx-judge3", "孔德明", "小学组", ("行为与社会科学",)),
    JudgeSpec("sx-judge4", "蒋丽", "小学组", ("技术与设计",)),
    JudgeSpec("sx-judge5", "沈国强", "中学组", ("物理学", "工程学", "计算机科学")),
    JudgeSpec("sx-judge6", "韩雪", "中学组", ("化学", "环境科学"), "gz1"),
    JudgeSpec("sx-judge7", "杨帆", "中学组", ("数学", "计算机科学")),
    JudgeSpec("sx-judge8", "朱立新", "中学组", ("植物学", "医药与健康学", "科教制作类", "科教方案类")),
    JudgeSpec("sx-judge9", "秦岚", "小学组", ("物质科学", "行为与社会科学")),
]
# The demo county is small: two panels of judges instead of one per school stage.
DEMO_GROUPS = {
    "primary": "小学组",
    "painting": "小学组",
    "junior": "中学组",
    "senior": "中学组",
    "tutor": "中学组",
}


def pdf_file(title: str, kind: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, f"{kind}: entry")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile(f"{kind}.pdf", out.getvalue(), content_type="application/pdf")


def png_file(seed: int) -> SimpleUploadedFile:
    img = Image.new("RGB", (240, 180), (30 + seed * 13 % 200, 120, 200))
    ImageDraw.Draw(img).ellipse((60, 40, 180, 140), fill=(250, 210, 60))
    out = io.BytesIO()
    img.save(out, "PNG")
    return SimpleUploadedFile("painting.png", out.getvalue(), content_type="image/png")


def demo_schools(county: OrgUnit) -> dict[str, OrgUnit]:
    """The county's schools, or sample ones (marked 示例) when it has none."""
    have = {
        u.code.rsplit("-", 1)[-1]: u
        for u in OrgUnit.objects.filter(path__startswith=county.path, kind=UnitKind.SCHOOL)
    }
    if have:
        return have
    return {
        code: unit_create(
            actor=DEMO_ACTOR,
            parent=county,
            name=name,
            kind=UnitKind.SCHOOL,
            code=f"{county.code}-{code}",
            is_sample=True,
        )
        for name, code, _stage in SCHOOLS
    }


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        if name not in used:
            used.add(name)
            return name


def _files(cat: Category, i: int, title: str) -> dict[str, list]:
    return {k: [png_file(i) if k == "image" else pdf_file(title, k)] for k in cat.required_attachments}


def _unique(pick, taken: set[str]) -> str:
    for _ in range(50):
        title = pick()
        if title not in taken:
            break
    else:
        title = f"{pick()}（{len(taken) + 1}）"
    taken.add(title)
    return title


def _entries(contest: Contest, schools: dict[str, OrgUnit], n: int, rng: random.Random) -> None:
    cats = {c.code: c for c in contest.categories.all()}
    stage_of = {code: stage for _n, code, stage in SCHOOLS}
    used: set[str] = set()
    titles: set[str] = set()
    copied: tuple | None = None
    abstracts: set[str] = set()
    turn: dict[str, int] = defaultdict(int)
    plan = ["primary", "junior", "senior", "painting", "tutor", "primary", "junior", "senior", "painting"]
    for i in range(n):
        cat = cats[plan[i % len(plan)]]
        wanted = {
            "primary": SchoolStage.PRIMARY,
            "painting": SchoolStage.PRIMARY,
            "junior": SchoolStage.JUNIOR,
        }
        stage = wanted.get(cat.code, SchoolStage.SENIOR if cat.code == "senior" else None)
        pool = [c for c, s in stage_of.items() if stage is None or s == stage]
        code = pool[turn[cat.code] % len(pool)]  # each category's entries go round its schools
        turn[cat.code] += 1
        school, school_stage = schools[code], stage_of[code]
        grade = rng.choice(rules.SCHOOL_STAGE_GRADES[school_stage][-3:])
        if cat.kind == Category.Kind.PAINTING:
            disc, count = "", 1
            title = _unique(lambda: rng.choice(PAINTINGS), titles)
        elif cat.kind == Category.Kind.TUTOR:
            disc = rng.choice(
                [d for d in cat.disciplines if set(TUTOR_TITLES[d]) - titles] or cat.disciplines
            )
            count = 0
            title = _unique(lambda d=disc: rng.choice(TUTOR_TITLES[d]), titles)
        else:
            known = [d for d in cat.disciplines if d in TOPICS]
            disc = rng.choice([d for d in known if set(TOPICS[d]) - titles] or known)
            count = rng.choice([1, 1, 2, 3])
            title = _unique(lambda d=disc: rng.choice(TOPICS[d]), titles)
        # No two abstracts share all three sentence parts: only the planted copy reads alike.
        parts = _unique(
            lambda: f"{rng.choice(OPENINGS)}{rng.choice(METHODS)}{rng.choice(RESULTS)}", abstracts
        )
        if cat.kind == Category.Kind.PAINTING:
            picture = _unique(lambda: "".join(rng.choice(p) for p in PAINT_PARTS), abstracts)
            abstract = f"《{title}》：{picture}"
        else:
            abstract = f"围绕“{title}”，{parts}"
        if cat.code == "junior" and copied is None:
            copied = (title, abstract)
        elif cat.code == "junior" and len(copied) == 2:
            # A near-copy of the first junior entry, for 资格审查 to catch (rapidfuzz).
            title, abstract = copied[0] + "研究", copied[1]
            copied = (*copied, "done")
        students = [
            StudentIn(
                _name(rng, used),
                grade,
                school_stage,
                age=rng.randint(8, 11) if cat.kind == "painting" else None,
            )
            for _ in range(count)
        ]
        entry_create(
            contest=contest,
            school=school,
            data=EntryIn(
                category=cat,
                title=title,
                abstract=abstract,
                discipline=disc,
                collective=count > 1,
                students=students,
                tutors=[_name(rng, used) + "老师"] if rng.random() < 0.8 or count == 0 else [],
            ),
            files=_files(cat, i, title),
            actor=DEMO_ACTOR,
        )


def _may(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour, minute))


# When the demo's judges score (within each round's dates, before the 筹备 phase): 初评 one score an hour
# from 5月5日, 终评 one every ten minutes from 5月18日 14:00 (half of it, by the next morning).
PRELIMINARY_FROM, PRELIMINARY_STEP = _may(5, 9), dt.timedelta(minutes=55)
FINAL_FROM, FINAL_STEP = _may(18, 14), dt.timedelta(minutes=10)
SHORTLISTED_AT = _may(13, 10)
# 终评's last afternoon: the drafts submitted, then the scores still missing (the phase hook's marks).
FINAL_DRAFTS_SUBMITTED = _may(20, 14)
FINAL_FINISHED = _may(20, 15)
COMMENT = "研究过程记录较完整。"


def _score_round(
    contest: Contest,
    stage: str,
    rng: random.Random,
    quality: dict[int, float],
    share: float,
    start: dt.datetime,
    step: dt.timedelta,
) -> None:
    judging = judging_of(contest, stage)
    assignments = list(judging.assignments.select_related("judge", "item").order_by("id"))
    bias = {a.judge_id: rng.uniform(-6, 6) for a in assignments}
    # While a round is partly scored, the demo judge (sx-judge1) always has an entry left to score.
    first_own = next((a.pk for a in assignments if a.judge.user.username == "sx-judge1"), None)
    for k, a in enumerate(assignments):
        roll = rng.random()
        if roll >= share or (share < 1.0 and a.pk == first_own):
            continue
        crits = criteria_for(judging, a.item.criteria_group or a.item.group)
        q = quality.setdefault(a.item.object_id, rng.uniform(0.5, 0.95))
        values = {
            str(c.pk): float(
                max(
                    0,
                    min(
                        c.max_score,
                        round(
                            2 * float(c.max_score) * (q + bias[a.judge_id] / 100 + rng.uniform(-0.08, 0.08))
                        )
                        / 2,
                    ),
                )
            )
            for c in crits
        }
        submit = roll < share * 0.85 or share == 1.0
        with clock.demo_at(start + step * k):
            score_save(
                assignment=a,
                values=values,
                comment=COMMENT if submit else "",
                submit=submit,
                version=None,
                judge=a.judge,
                actor=a.judge.user,
            )


def _title(campaign: Campaign) -> str:
    return f"{campaign.year}年泗县青少年科技创新大赛"


@transaction.atomic
def build_demo_contest(
    campaign: Campaign,
    *,
    county: OrgUnit,
    lead: OrgUnit,
    entries: int = 60,
    final_share: float = 0.5,
    judge_users: dict | None = None,
) -> Contest:
    rng = random.Random(2023)
    schools = demo_schools(county)
    contest = contest_create(campaign=campaign, org_unit=lead, title=_title(campaign), actor=DEMO_ACTOR)
    for code, group in DEMO_GROUPS.items():
        contest.categories.filter(code=code).update(group=group)
    _entries(contest, schools, entries, rng)
    rounds_sync(contest=contest, actor=DEMO_ACTOR)
    judges = []
    for spec in JUDGES:
        judge, _pw = contest_judge_create(
            contest=contest,
            username=spec.username,
            name=spec.name,
            group=spec.group,
            expertise=list(spec.expertise),
            unit=schools.get(spec.school) if spec.school else None,
            unit_text="" if spec.school else "宿州学院（示例）",
            user=(judge_users or {}).get(spec.username),
            actor=DEMO_ACTOR,
        )
        judge_pledge(judge=judge, actor=judge.user)
        judges.append(judge)
    # Two declared conflicts: a relative, and a judge who once advised the work.
    first = contest.entries.order_by("id")
    conflict_declare(
        judge=judges[1],
        item_kind="contests.entry",
        object_id=first.filter(category__code="primary", school=schools["xx3"])[0].pk,
        kind=ConflictKind.KIN,
        note="学生为其外甥",
        actor=judges[1].user,
    )
    conflict_declare(
        judge=judges[6],
        item_kind="contests.entry",
        object_id=first.filter(category__code="senior", school=schools["gz2"])[0].pk,
        kind=ConflictKind.TUTORED,
        actor=judges[6].user,
    )
    assignment_run(judging=judging_of(contest, StageCode.PRELIMINARY), actor=DEMO_ACTOR)
    quality: dict[int, float] = {}
    _score_round(contest, StageCode.PRELIMINARY, rng, quality, 1.0, PRELIMINARY_FROM, PRELIMINARY_STEP)
    with clock.demo_at(SHORTLISTED_AT):
        shortlist(contest=contest, actor=DEMO_ACTOR)
        assignment_run(judging=judging_of(contest, StageCode.FINAL), actor=DEMO_ACTOR)
    _score_round(contest, StageCode.FINAL, rng, quality, final_share, FINAL_FROM, FINAL_STEP)
    return contest


@register_demo_part("青少年科技创新大赛", order=60)
def demo_contest(ctx: DemoContext) -> None:
    lead = ctx.unit("县科协")
    # The role itself is granted with the seat (on the judges' group node, contests/setup.judges_unit).
    judge = ctx.add_account(
        who="青少年科技创新大赛评委（盲评，仅见分配给自己的作品）",
        username="sx-judge1",
        display_name="陆文华（评委）",
        grants=[],
    )
    contest = build_demo_contest(ctx.campaign, county=ctx.county, lead=lead, judge_users={"sx-judge1": judge})
    school = contest.entries.order_by("id").first().school
    ctx.add_account(
        who=f"{school.name}（学校，报名参赛）",
        username="sx-school1",
        display_name=f"{school.name}科技辅导员",
        grants=[(school, Role.UNIT_REPORTER, None)],
    )
    ctx.lines.append(
        f"青少年科技创新大赛：/contests/{contest.pk}/（评委 sx-judge1 在手机上打开 /contests/{contest.pk}/judge/ 评分）"
    )


@register_demo_phase("青少年科技创新大赛")
def final_at_phase(change: PhaseChange) -> None:
    """终评 ends on 5月20日: before its last afternoon it is as the part built it (partly scored), from then
    on every assignment has a submitted score. The scores this hook adds carry its marks (drafts
    submitted at FINAL_DRAFTS_SUBMITTED, missing scores made at FINAL_FINISHED) and are the only ones it
    takes back; a score a visitor submitted (sx-judge1 at 筹备) has its own moment and stays. Bulk writes."""
    campaign = change.campaign
    contest = Contest.objects.filter(campaign=campaign, title=_title(campaign)).order_by("pk").first()
    if contest is None:
        return
    judging = Judging.objects.prefetch_related("criteria").get(pk=judging_of(contest, StageCode.FINAL).pk)
    scores = Score.objects.filter(assignment__judging=judging)
    if change.at < FINAL_FINISHED:
        scores.filter(submitted_at=FINAL_FINISHED).delete()
        scores.filter(submitted_at=FINAL_DRAFTS_SUBMITTED).update(
            status=Score.Status.DRAFT, submitted_at=None, comment="", version=F("version") + 1
        )
        return
    assignments = list(judging.assignments.select_related("judge__user", "item"))
    stored = {s.assignment_id: s for s in scores}
    drafts = []
    for a in assignments:
        score = stored.get(a.pk)
        crits = criteria_for(judging, a.item.criteria_group or a.item.group)
        if score and score.status == Score.Status.DRAFT and all(str(c.pk) in score.values for c in crits):
            score.status, score.submitted_at, score.comment = (
                Score.Status.SUBMITTED,
                FINAL_DRAFTS_SUBMITTED,
                COMMENT,
            )
            score.version += 1
            drafts.append(score)
    if drafts:
        Score.objects.bulk_update(drafts, ["status", "submitted_at", "comment", "version"])
    missing = [a for a in assignments if a.pk not in stored]
    if missing:
        Score.objects.bulk_create([_final_score(judging, a) for a in missing])


def _final_score(judging: Judging, a: Assignment) -> Score:
    """A judge's 终评 score made up for the demo, the same every time for the same judge and entry."""
    crits = criteria_for(judging, a.item.criteria_group or a.item.group)
    rng = random.Random(f"{a.judge.user.username}/{a.item.label}")
    level = rng.uniform(0.6, 0.92)
    values = {
        str(c.pk): min(
            float(c.max_score),
            max(0.0, round(2 * float(c.max_score) * (level + rng.uniform(-0.05, 0.05))) / 2),
        )
        for c in crits
    }
    return Score(
        assignment=a,
        values=values,
        total=weighted_total(crits, values),
        comment=COMMENT,
        status=Score.Status.SUBMITTED,
        submitted_at=FINAL_FINISHED,
    )
