"""The demo's after-the-week part: 泗县's units report (sample figures, approved), its summary is drafted
and its result sent up to a 2023 宿州市 campaign, where it shows beside two sample counties (示例·灵璧县
approved, 示例·砀山县 waiting for review), each with its own campaign, units and approved reports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from sciweek.campaigns.demo_parts import (
    DEMO_ACTOR,
    DemoContext,
    PhaseChange,
    register_demo_part,
    register_demo_phase,
)
from sciweek.campaigns.models import Campaign
from sciweek.events.models import Event, EventImage
from sciweek.orgs.models import OrgUnit, UnitKind
from sciweek.reports.formspec import SIXIAN_2023_FORM, FormSpec
from sciweek.reports.models import Report, ReportValue, form_from_spec
from sciweek.reports.totals import totals_of_report

from .models import SendUp
from .sendup import sendup_create
from .services import summary_generate

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#: a unit's sample figures, scaled per unit so the totals are not all alike
SAMPLE = {
    "events_held": 4,
    "fund_fiscal": "0.8",
    "fund_enterprise": "0.2",
    "fund_in_kind": "0.3",
    "fund_other": "0.1",
    "staff_fulltime": 2,
    "staff_scientists": 6,
    "staff_volunteers": 10,
    "staff_other": 3,
    "public_offline": 420,
    "public_online": 3500,
    "media_outlets": 2,
    "media_reports": 3,
    "venues_opened": 1,
    "institutes_opened": 0,
    "universities_opened": 0,
}
SAMPLE_COUNTIES = (
    ("示例·灵璧县", "341323-demo", ("示例·灵璧县科技局", "示例·灵璧县气象局", "示例·灵璧县科协"), "approved"),
    (
        "示例·砀山县",
        "341321-demo",
        ("示例·砀山县科技局", "示例·砀山县农业农村局", "示例·砀山县融媒体中心"),
        "sent",
    ),
)


def _stamp(campaign: Campaign) -> dt.datetime:
    """When this part's sample reports were sent: 5月29日 16:00, the mark that tells them from a visitor's."""
    return timezone.make_aware(dt.datetime(campaign.year, 5, 29, 16, 0))


def _approved_report(campaign: Campaign, unit: OrgUnit, factor: int) -> Report | None:
    if Report.objects.filter(campaign=campaign, unit=unit).exists():
        return None  # the statistics part's own demo report (submitted, returned, …) stays as it is
    form = campaign.forms.filter(is_current=True).order_by("-version").first()
    when = _stamp(campaign)
    report, _ = Report.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={
            "form": form,
            "status": Report.Status.APPROVED,
            "submitted_at": when,
            "first_submitted_at": when,
            "approved_at": when + dt.timedelta(hours=1),
        },
    )
    ReportValue.objects.filter(report=report).delete()
    ReportValue.objects.bulk_create(
        [
            ReportValue(report=report, row_code=code, value=Decimal(str(v)) * factor)
            for code, v in SAMPLE.items()
        ]
    )
    report.totals = totals_of_report(report)
    report.save(update_fields=["totals"])
    return report


def _sample_photo(title: str, hue: int) -> bytes:
    """A stand-in 活动照片 for the demo (a drawn card with the event's title, marked 示例)."""
    image = Image.new("RGB", (1200, 800), (40 + hue % 120, 90 + hue % 80, 150))
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(CJK_FONT, 52)
        small = ImageFont.truetype(CJK_FONT, 36)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((60, 320), title[:20], fill="white", font=font)
    draw.text((60, 420), "示例照片（演示数据）", fill=(230, 230, 230), font=small)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _photos_for_top_events(campaign: Campaign) -> None:
    """The demo's events have no photos: the three most attended get a sample one, so the summary's
    highlights show how a photo sits beside each."""
    events = sorted(
        Event.objects.filter(campaign=campaign, status="approved"),
        key=lambda e: -((e.offline_participants or 0) + (e.online_audience or 0)),
    )[:3]
    for i, event in enumerate(events):
        if event.images.filter(kind="photo").exists():
            continue
        img = EventImage(event=event, kind="photo", original_name="示例照片.jpg", width=1200, height=800)
        img.file.save(
            f"demo-photo-{event.pk}.jpg", ContentFile(_sample_photo(event.title, i * 47)), save=True
        )


def _campaign(
    region: OrgUnit, title: str, spec: FormSpec, status: str = Campaign.Status.REPORTING
) -> Campaign:
    campaign = Campaign.objects.create(
        org_unit=region,
        year=2023,
        title=title,
        theme="热爱科学 崇尚科学",
        start_date=dt.date(2023, 5, 20),
        end_date=dt.date(2023, 5, 31),
        status=status,
    )
    form_from_spec(campaign=campaign, spec=spec)
    return campaign


# Not 县气象局: its reporter (sx-qxj) fills its table live at the 总结上报 phase.
REPORTING_DEPARTMENTS = ("县科技局", "县科协", "县教体局")


def _reporting_units(campaign: Campaign) -> list[OrgUnit]:
    """The units whose approved tables this part adds: 泗县's sample towns and three departments."""
    under = OrgUnit.objects.filter(path__startswith=campaign.org_unit.path).order_by("path")
    towns = [u for u in under if u.kind == UnitKind.TOWN]
    named = {u.short_name or u.name: u for u in under if (u.short_name or u.name) in REPORTING_DEPARTMENTS}
    return [*towns, *(named[n] for n in REPORTING_DEPARTMENTS if n in named)]


@register_demo_phase("活动总结与上报")
def summary_reports_at_phase(change: PhaseChange) -> None:
    """Before 总结上报 nobody has sent a table, so this part's approved sample tables are taken away at
    筹备 and 活动周进行中 and put back from 总结上报 on. Only its own tables (approved at its stamp) are
    touched; the statistics part's five units (its own hook) and a visitor's tables are left alone. The
    sent-up snapshot to 宿州市 stays: it is the official record of what was sent, whatever the clock shows."""
    campaign = change.campaign
    units = _reporting_units(campaign)
    if change.phase in ("prepare", "week"):
        Report.objects.filter(
            campaign=campaign, unit__in=units, status=Report.Status.APPROVED, submitted_at=_stamp(campaign)
        ).delete()
        return
    for i, unit in enumerate(units, 1):
        _approved_report(campaign, unit, i)


@register_demo_part("活动总结与上报", order=90)
@transaction.atomic
def demo_summary(ctx: DemoContext) -> None:
    county, city = ctx.campaign.org_unit, ctx.city
    city_form = FormSpec(
        title="2023年全市科技活动周开展情况统计表",
        rows=SIXIAN_2023_FORM.rows,
        footnote="注：各县区汇总后报市科技局",
    )
    city_campaign = _campaign(city, "2023年宿州市科技活动周", city_form)
    # 泗县: the sample towns and a few departments report, all approved
    for i, unit in enumerate(_reporting_units(ctx.campaign), 1):
        _approved_report(ctx.campaign, unit, i)
    _photos_for_top_events(ctx.campaign)
    summary_generate(campaign=ctx.campaign, node=county, actor=DEMO_ACTOR)
    sendup_create(
        source=ctx.campaign,
        target=city_campaign,
        actor=DEMO_ACTOR,
        note="泗县2023年科技活动周总结及统计表（演示数据）",
        # The demo also shows reports still under review at 总结上报 (reports/demo.py): the snapshot
        # holds the approved ones, as a county that sends before the last review would.
        allow_pending=True,
    )
    for name, code, unit_names, state in SAMPLE_COUNTIES:
        region = OrgUnit.objects.get(pk=city.pk).add_child(
            name=name, code=code, kind=UnitKind.COUNTY, is_sample=True
        )
        campaign = _campaign(region, f"2023年{name}科技活动周", SIXIAN_2023_FORM)
        for i, unit_name in enumerate(unit_names, 1):
            unit = OrgUnit.objects.get(pk=region.pk).add_child(
                name=unit_name, code=f"{code}-{i}", kind=UnitKind.DEPARTMENT, is_sample=True
            )
            _approved_report(campaign, unit, i + (2 if state == "sent" else 0))
        s = sendup_create(source=campaign, target=city_campaign, actor=DEMO_ACTOR, with_summary=False)
        if state == "approved":
            SendUp.objects.filter(pk=s.pk).update(status=SendUp.Status.APPROVED, reviewed_at=timezone.now())
    ctx.lines.append(
        f"泗县的活动总结已生成并报送至「{city_campaign.title}」（/summary/campaign/{city_campaign.pk}/received/，"
        "宿州市账号 sz-kjj 审核）。"
    )
