"""Demo part: the notice's full text on the portal, four units' publicity with photos (two approved, one
sent a day late and waiting for review, one still a draft), the approved ones' roll-up boards generated
as a job, and the week's media reports (most confirmed).

The publicity was all sent by 5月19日 09:05, before the first phase, so it is the same at every phase. The
media reports follow the demo clock (a phase hook, ``campaigns.demo_parts.register_demo_phase``): each
is registered the morning it appears (5月20日–25日) and confirmed the next morning, so

- 筹备 (5月19日): none;
- 活动周进行中 (5月20日 09:10): the launch report, waiting for the bureau's confirmation;
- 总结上报 and 结束后: all six, five confirmed (the portal lists those), the livestream still pending.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from sciweek.campaigns.demo_parts import (
    DEMO_ACTOR,
    DemoContext,
    PhaseChange,
    register_demo_part,
    register_demo_phase,
)
from sciweek.campaigns.models import Campaign
from sciweek.campaigns.services import campaign_update
from sciweek.core import clock
from sciweek.core.jobs import job_run
from sciweek.core.models import Job
from sciweek.orgs.models import OrgUnit, StaffContact

from .boards.build import JOB_KIND
from .media.services import media_report_confirm, media_report_save, normalise_url, outlet_save
from .models import MediaOutlet, MediaReport
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


# The outlets the demo's media reports appeared in: key → (name, kind, the media unit that runs it).
OUTLETS = {
    "tv": ("泗县融媒体中心（广播电视台）", "tv", "县融媒体中心"),
    "wx": ("泗县发布", "wechat", "泗县发布"),
    "web": ("泗县人民政府网", "website", None),
}


@dataclass(frozen=True)
class DemoMedia:
    outlet: str  # a key of OUTLETS
    entered_by: str  # the unit that registers it (short name)
    unit: str  # the unit it is about
    title: str
    day: int  # published on, May 2023
    kind: str
    confirmed: bool  # the bureau confirms it the next morning (the livestream stays pending)


MEDIA = [
    DemoMedia("tv", "县融媒体中心", "县气象局", "2023年泗县科技活动周启动", 20, "news", True),
    DemoMedia("wx", "泗县发布", "县气象局", "气象科普进万家：观测场向公众开放", 21, "feature", True),
    DemoMedia("wx", "泗县发布", "县科协", "科普大篷车开进乡村校园", 22, "short_video", True),
    DemoMedia("web", "县科协", "县科协", "我县开展科技活动周科普大篷车巡展", 23, "news", True),
    DemoMedia("tv", "县融媒体中心", "县农业农村局", "科技下乡助力春耕", 24, "news", True),
    DemoMedia("wx", "泗县发布", "县卫健委", "健康科普直播：急救知识人人学", 25, "livestream", False),
]


def _media_url(i: int) -> str:
    return f"https://example.com/sixian/2023/{i + 1}"


def media_moments(row: DemoMedia) -> tuple[dt.datetime, dt.datetime | None]:
    """When a demo report is registered (the morning it appears: the week's media all appear from 5月20日
    on) and when the bureau confirms it (the next morning; None: it stays pending)."""
    entered = _may(row.day, 8, 0)
    return entered, entered + dt.timedelta(days=1, hours=1, minutes=30) if row.confirmed else None


def _media(ctx: DemoContext) -> int:
    """The week's media reports, each registered and confirmed at its own demo moment (the phase hook
    below then keeps only what has happened by the phase's moment)."""
    campaign, region = ctx.campaign, ctx.campaign.org_unit
    outlets = {
        key: outlet_save(
            actor=DEMO_ACTOR, region=region, name=name, kind=kind, unit=ctx.unit(by) if by else None
        )
        for key, (name, kind, by) in OUTLETS.items()
    }
    for i, row in enumerate(MEDIA):
        entered, confirmed = media_moments(row)
        with clock.demo_at(entered):
            report = media_report_save(
                actor=DEMO_ACTOR,
                campaign=campaign,
                entered_by_unit=ctx.unit(row.entered_by),
                unit=ctx.unit(row.unit),
                outlet=outlets[row.outlet],
                title=row.title,
                published_on=dt.date(2023, 5, row.day),
                url=_media_url(i),
                kind=row.kind,
                reach=800 + 350 * i,
            )
        if confirmed:
            with clock.demo_at(confirmed):
                media_report_confirm(actor=DEMO_ACTOR, report=report, version=report.version)
    return len(MEDIA)


@register_demo_part("宣传内容、展板与媒体报道", order=60)
def demo_materials(ctx: DemoContext) -> None:
    done = load_demo_materials(ctx)
    ctx.lines.append(
        f"已载入{done['approved']}个单位审核通过的宣传内容和展板、{done['media']}条媒体报道、通知全文（门户：/c/{ctx.campaign.pk}/notice/）。"
    )


@register_demo_phase("宣传内容、展板与媒体报道")
def media_at_phase(change: PhaseChange) -> None:
    """Bring the demo's six media reports (known by their example.com links) to the phase's moment: not
    yet registered → removed; registered → pending, or confirmed at its moment once that has passed.
    A report that already matches is left alone (a second call changes nothing); a visitor's own reports
    (other links) are never touched. A few bulk statements, whatever the phase."""
    campaign = change.campaign
    keys = [normalise_url(_media_url(i)) for i in range(len(MEDIA))]
    stored = {r.url_key: r for r in MediaReport.objects.filter(campaign=campaign, url_key__in=keys)}
    gone: list[MediaReport] = []
    changed: list[MediaReport] = []
    missing: list[tuple[int, str, dt.datetime | None]] = []
    for i, (row, key) in enumerate(zip(MEDIA, keys, strict=True)):
        entered, confirmed = media_moments(row)
        report = stored.get(key)
        if entered > change.at:
            if report is not None:
                gone.append(report)
            continue
        at = confirmed if confirmed is not None and confirmed <= change.at else None
        status = MediaReport.Status.CONFIRMED if at else MediaReport.Status.PENDING
        if report is None:
            missing.append((i, status, at))
        elif (report.status, report.confirmed_at, report.reject_reason) != (status, at, ""):
            report.status, report.confirmed_at, report.confirmed_by, report.reject_reason = (
                status,
                at,
                None,
                "",
            )
            report.version += 1
            changed.append(report)
    if gone:
        files = [r.file.name for r in gone if r.file.name]
        MediaReport.objects.filter(pk__in=[r.pk for r in gone]).delete()
        transaction.on_commit(lambda: _delete_files(files))
    if changed:
        MediaReport.objects.bulk_update(
            changed, ["status", "confirmed_at", "confirmed_by", "reject_reason", "version"]
        )
    if missing:
        _media_restore(campaign, missing)


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _media_restore(campaign: Campaign, missing: list[tuple[int, str, dt.datetime | None]]) -> None:
    region = campaign.org_unit
    outlets = {
        o.name: o
        for o in MediaOutlet.objects.filter(region=region, name__in=[o[0] for o in OUTLETS.values()])
    }
    units: dict[str, OrgUnit] = {}
    for u in OrgUnit.objects.filter(path__startswith=region.path):
        units.setdefault(u.short_name or u.name, u)
    rows = []
    for i, status, at in missing:
        row = MEDIA[i]
        name, kind, by = OUTLETS[row.outlet]
        outlet = outlets.get(name) or MediaOutlet.objects.create(
            region=region, name=name, kind=kind, unit=units.get(by) if by else None
        )
        outlets[name] = outlet
        url = _media_url(i)
        rows.append(
            MediaReport(
                campaign=campaign,
                outlet=outlet,
                title=row.title,
                published_on=dt.date(2023, 5, row.day),
                url=url,
                url_key=normalise_url(url),
                kind=row.kind,
                unit=units[row.unit],
                entered_by_unit=units[row.entered_by],
                reach=800 + 350 * i,
                status=status,
                confirmed_at=at,
            )
        )
    MediaReport.objects.bulk_create(rows)
