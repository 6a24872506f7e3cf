"""Demo part: the notice's full text on the portal, four units' publicity with photos (two approved, one
sent a day late and waiting for review, one still a draft), the approved ones' roll-up boards generated
as a job, and the week's media reports (most confirmed)."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from sciweek.campaigns.demo_parts import DEMO_ACTOR, DemoContext, register_demo_part
from sciweek.campaigns.services import campaign_update
from sciweek.core import clock
from sciweek.core.jobs import job_run
from sciweek.core.models import Job
from sciweek.orgs.models import StaffContact

from .boards.build import JOB_KIND
from .media.services import media_report_confirm, media_report_save, outlet_save
from .publicity.images import publicity_add_image
from .services import publicity_approve, publicity_save, publicity_submit

NOTICE = Path(__file__).resolve().parent / "data" / "notice_2023_sixian.txt"

CONTENT = [
    (
        "县气象局",
        "气象科普进万家 防灾减灾保平安",
        ["开放气象观测场", "讲解强对流天气防范", "发放防灾手册"],
        [(90, 150, 220), (250, 200, 70)],
    ),
    (
        "县科协",
        "科普大篷车开进乡村校园",
        ["大篷车展品体验", "青少年科学小实验", "科技志愿者现场答疑"],
        [(40, 140, 120), (250, 120, 60)],
    ),
    (
        "县农业农村局",
        "科技下乡 助力春耕生产",
        ["田间地头技术指导", "新品种示范观摩", "农机安全操作演示"],
        [(80, 170, 80), (240, 210, 90)],
    ),
    (
        "县卫健委",
        "健康科普 守护百姓健康",
        ["义诊与健康咨询", "急救知识培训", "合理用药宣传"],
        [(60, 120, 200), (230, 90, 110)],
    ),
]
# When each unit sent its content (May 2023: day, hour, minute; None: still a draft) and whether the
# bureau approved it yet — so the 筹备 phase (5月19日) shows two on time, one a day late, one a draft.
SENT_AT: dict[str, tuple[tuple[int, int, int] | None, bool]] = {
    "县气象局": ((17, 16, 5), True),
    "县科协": ((16, 10, 20), True),
    "县农业农村局": (None, False),
    "县卫健委": ((19, 9, 5), False),
}


# The units' named staff (五.1 asks for names and mobiles); the event pages show them as contacts.
CONTACTS = {
    "县科协": ("王静", "13955700201"),
    "县气象局": ("刘洋", "13955700202"),
    "县卫健委": ("周敏", "13955700203"),
    "县农业农村局": ("张强", "13955700204"),
}


def _may(day: int, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 5, day, hour, minute))


BODY = (
    "【活动概况】\n科技活动周期间，{unit}围绕“热爱科学 崇尚科学”主题，组织科技工作者和志愿者深入社区、农村、学校，"
    "开展形式多样的科普活动，把科学知识送到群众身边。\n【主要做法】\n- {a}\n- {b}\n- {c}\n"
    "活动采取线上线下相结合的方式，现场讲解与互动体验并重，群众参与热情高，取得了良好效果。"
)


def sample_photo(
    seed: int, sky: tuple[int, int, int], accent: tuple[int, int, int], size=(2400, 1800)
) -> bytes:
    """A calm landscape: a sky gradient, a sun, rolling hills and a few tents — no people, no text."""
    w, h = size
    img = Image.new("RGB", size, sky)
    top = Image.new("RGB", size, tuple(min(255, c + 70) for c in sky))
    img = Image.composite(
        top, img, Image.linear_gradient("L").resize(size).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    )
    d = ImageDraw.Draw(img)
    sx, sy, r = int(w * (0.2 + 0.15 * (seed % 4))), int(h * 0.25), int(h * 0.09)
    d.ellipse([sx - r, sy - r, sx + r, sy + r], fill=accent)
    for layer, shade in enumerate((0.55, 0.35, 0.2)):
        base = h * (0.58 + layer * 0.12)
        points = (
            [(0, h)]
            + [
                (x, base - h * 0.06 * math.sin(x / w * math.pi * (2 + layer) + seed + layer))
                for x in range(0, w + 40, 40)
            ]
            + [(w, h)]
        )
        d.polygon(points, fill=tuple(int(c * shade + 60 * (1 - shade)) for c in (70, 150, 90)))
    for k in range(3):  # tents of a science fair
        x = int(w * (0.25 + 0.22 * k + 0.03 * (seed % 3)))
        y = int(h * 0.78)
        d.polygon([(x - 110, y), (x, y - 130), (x + 110, y)], fill=(250, 250, 245))
        d.rectangle([x - 100, y, x + 100, y + 70], fill=accent)
    img = img.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()


def load_demo_materials(ctx: DemoContext) -> dict[str, int]:
    campaign = ctx.campaign
    if not campaign.notice_text:
        campaign = campaign_update(
            actor=DEMO_ACTOR, campaign=campaign, version=None, notice_text=NOTICE.read_text("utf-8")
        )
    approved = 0
    for n, (short, headline, points, (sky, accent)) in enumerate(CONTENT):
        unit = ctx.unit(short)
        if not unit.staff.exists():
            name, mobile = CONTACTS[short]
            StaffContact.objects.create(unit=unit, name=name, mobile=mobile, position="科普工作联系人")
        body = BODY.format(unit=unit.name, a=points[0], b=points[1], c=points[2])
        sub = publicity_save(
            actor=DEMO_ACTOR,
            campaign=campaign,
            unit=unit,
            version=None,
            headline=headline,
            body=body,
            submit=False,
            layout=("classic", "gallery", "columns", "classic")[n],
        )
        for k, caption in enumerate(points):
            data = sample_photo(n * 3 + k, sky, accent)
            publicity_add_image(
                actor=DEMO_ACTOR,
                submission=sub,
                upload=SimpleUploadedFile(f"photo{k + 1}.jpg", data, "image/jpeg"),
                caption=caption,
            )
        sub.refresh_from_db()
        sent, approve = SENT_AT[short]
        if sent is None:  # still a draft on 5月19日 (the 筹备 phase): the deadline has just passed
            continue
        with clock.demo_at(_may(*sent)):
            sub = publicity_submit(actor=DEMO_ACTOR, submission=sub, version=sub.version)
        if approve:  # the late one waits for the bureau's review (on the organizer's to-do)
            with clock.demo_at(_may(*sent) + dt.timedelta(hours=3)):
                publicity_approve(actor=DEMO_ACTOR, submission=sub, version=sub.version)
            approved += 1
    media = _media(ctx)
    # Run here and now: `load_demo` may exit before a background thread would finish.
    job = Job.objects.create(
        kind=JOB_KIND,
        params={"campaign_id": campaign.pk, "size": "rollup", "template": "", "crop_marks": False},
    )
    job_run(job_id=job.pk)
    return {"approved": approved, "media": media, "job": job.pk}


def _media(ctx: DemoContext) -> int:
    campaign, region = ctx.campaign, ctx.campaign.org_unit
    rmt, fb = ctx.unit("县融媒体中心"), ctx.unit("泗县发布")
    tv = outlet_save(
        actor=DEMO_ACTOR, region=region, name="泗县融媒体中心（广播电视台）", kind="tv", unit=rmt
    )
    wx = outlet_save(actor=DEMO_ACTOR, region=region, name="泗县发布", kind="wechat", unit=fb)
    web = outlet_save(actor=DEMO_ACTOR, region=region, name="泗县人民政府网", kind="website")
    rows = [
        (tv, rmt, "县气象局", "2023年泗县科技活动周启动", 20, "news", True),
        (wx, fb, "县气象局", "气象科普进万家：观测场向公众开放", 21, "feature", True),
        (wx, fb, "县科协", "科普大篷车开进乡村校园", 22, "short_video", True),
        (web, ctx.unit("县科协"), "县科协", "我县开展科技活动周科普大篷车巡展", 23, "news", True),
        (tv, rmt, "县农业农村局", "科技下乡助力春耕", 24, "news", True),
        (wx, fb, "县卫健委", "健康科普直播：急救知识人人学", 25, "livestream", False),
    ]
    for i, (outlet, by, short, title, day, kind, confirm) in enumerate(rows):
        report = media_report_save(
            actor=DEMO_ACTOR,
            campaign=campaign,
            entered_by_unit=by,
            unit=ctx.unit(short),
            outlet=outlet,
            title=title,
            published_on=dt.date(2023, 5, day),
            url=f"https://example.com/sixian/2023/{i + 1}",
            kind=kind,
            reach=800 + 350 * i,
        )
        if confirm:
            media_report_confirm(actor=DEMO_ACTOR, report=report, version=report.version)
    return len(rows)


@register_demo_part("宣传内容、展板与媒体报道", order=60)
def demo_materials(ctx: DemoContext) -> None:
    done = load_demo_materials(ctx)
    ctx.lines.append(
        f"已载入{done['approved']}个单位审核通过的宣传内容和展板、{done['media']}条媒体报道、通知全文（门户：/c/{ctx.campaign.pk}/notice/）。"
    )
