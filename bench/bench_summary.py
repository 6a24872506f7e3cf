"""After the week: a county's summary (.docx with 6 charts and 12 photos), the send-up of a 300-unit
county, and a province's review queue of 100 regions below it.

Targets (issue 18): summary < 10 s; send-up < 5 s; review queue page < 200 ms. Baselines, same run:
a plain python-docx document holding the same 12 photos and 6 bare matplotlib charts; the county's
roll-up alone; a bare view through the same middleware stack.

    .venv/bin/python bench/bench_summary.py [--postgres URL] [--repeat N]
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
from decimal import Decimal

from _django import setup

args = setup(__doc__)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from sciweek.campaigns.models import Campaign  # noqa: E402
from sciweek.events.models import Event, EventImage  # noqa: E402
from sciweek.orgs.models import Membership, OrgUnit, Role, UnitKind  # noqa: E402
from sciweek.reports.formspec import SIXIAN_2023_FORM  # noqa: E402
from sciweek.reports.models import Report, ReportValue, form_from_spec  # noqa: E402
from sciweek.reports.rollup import rollup  # noqa: E402
from sciweek.reports.totals import totals_of_report  # noqa: E402
from sciweek.summary.charts import _font_family  # noqa: E402
from sciweek.summary.models import SendUp  # noqa: E402
from sciweek.summary.render import render_docx  # noqa: E402
from sciweek.summary.sendup import sendup_create  # noqa: E402
from sciweek.summary.services import summary_generate  # noqa: E402

VALUES = {
    "events_held": 3,
    "fund_fiscal": "1.25",
    "staff_volunteers": 8,
    "public_offline": 420,
    "public_online": 2500,
    "media_outlets": 1,
    "media_reports": 2,
    "venues_opened": 1,
}
CATEGORIES = ["科普讲座", "展览展示", "开放日", "技术培训", "咨询服务", "直播"]
AUDIENCES = [["青少年"], ["农民"], ["企业", "公众"], ["社区居民"], ["中小学校", "青少年"]]


def campaign(region: OrgUnit, year: int = 2023) -> Campaign:
    c = Campaign.objects.create(
        org_unit=region,
        year=year,
        title=f"{year}年{region.name}科技活动周",
        theme="热爱科学",
        start_date=dt.date(year, 5, 20),
        end_date=dt.date(year, 5, 31),
        status="reporting",
    )
    form_from_spec(campaign=c, spec=SIXIAN_2023_FORM)
    return c


def approved_reports(c: Campaign, units: list[OrgUnit]) -> None:
    form = c.forms.get()
    reports = Report.objects.bulk_create(
        [Report(campaign=c, unit=u, form=form, status="approved") for u in units]
    )
    ReportValue.objects.bulk_create(
        [ReportValue(report=r, row_code=k, value=Decimal(str(v))) for r in reports for k, v in VALUES.items()]
    )
    for r in reports:
        r.totals = totals_of_report(r, list(SIXIAN_2023_FORM.codes))
    Report.objects.bulk_update(reports, ["totals"])


def photo(i: int) -> bytes:
    buf = io.BytesIO()
    base = Image.linear_gradient("L").resize((2400, 1800)).convert("RGB")
    noise = Image.effect_noise((2400, 1800), 30 + i).convert("RGB")
    Image.blend(base, noise, 0.35).save(buf, format="JPEG", quality=85)  # a photo-like mix, not pure noise
    return buf.getvalue()


t0 = time.perf_counter()
province = OrgUnit.add_root(name="基准省", code="B-P", kind=UnitKind.PROVINCE)
city = province.add_child(name="基准市", code="B-C", kind=UnitKind.CITY)
county = OrgUnit.objects.get(pk=city.pk).add_child(name="基准县", code="B-X", kind=UnitKind.COUNTY)
units = [
    OrgUnit.objects.get(pk=county.pk).add_child(
        name=f"单位{i:03d}", code=f"B-X-{i:03d}", kind=UnitKind.DEPARTMENT
    )
    for i in range(300)
]
city_campaign, county_campaign = campaign(city), campaign(county)
campaign(county, 2022)
approved_reports(county_campaign, units)
start = timezone.make_aware(dt.datetime(2023, 5, 22, 9))
photos = [photo(i) for i in range(12)]
for i in range(60):
    e = Event.objects.create(
        campaign=county_campaign,
        unit=units[i],
        title=f"活动{i}",
        category=CATEGORIES[i % 6],
        audiences=AUDIENCES[i % 5],
        mode=["offline", "online", "both"][i % 3],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status="approved",
        offline_participants=100 + i,
        online_audience=50 * i,
    )
    if i < 12:
        img = EventImage(event=e, kind="photo", width=2400, height=1800)
        img.file.save(f"p{i}.jpg", ContentFile(photos[i]), save=True)
print(f"set-up {time.perf_counter() - t0:.1f} s")


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# 1. the county's summary: generate the draft (data) and render the .docx (6 charts, 12 photos)
draft = summary_generate(campaign=county_campaign, node=county, actor="bench")
from sciweek.summary.models import SummaryDraft  # noqa: E402

keys = [p["key"] for p in draft.figures["photos"]][:12]
SummaryDraft.objects.filter(pk=draft.pk).update(
    charts=["mode", "category", "audience", "participation", "funds", "yoy"], photos=keys
)
draft.refresh_from_db()
assert len(draft.charts) == 6 and len(draft.photos) == 12, (draft.charts, len(draft.photos))


def full_summary() -> bytes:
    d = summary_generate(campaign=county_campaign, node=county, actor="bench")
    SummaryDraft.objects.filter(pk=d.pk).update(charts=draft.charts, photos=draft.photos)
    d.refresh_from_db()
    return render_docx(d)


def bare_docx() -> bytes:
    from docx import Document
    from docx.shared import Mm
    from matplotlib.figure import Figure

    doc = Document()
    family = _font_family()
    for k in range(6):
        fig = Figure(figsize=(6.2, 3.4), dpi=150)
        ax = fig.subplots()
        ax.barh(["甲", "乙", "丙"], [1, 2, 3 + k])
        ax.set_title("图", family=family)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        doc.add_picture(io.BytesIO(buf.getvalue()), width=Mm(140))
    for p in photos:
        doc.add_picture(io.BytesIO(p), width=Mm(112))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


cache.clear()
summary_s, data = timed(full_summary, repeat=1)  # cold: no chart or scaled photo cached yet
warm_s, _ = timed(full_summary, repeat=2)
bare_s, _ = timed(bare_docx, repeat=1)
print(
    f"county summary (draft + .docx, 6 charts, 12 photos), cold: {summary_s:.2f} s, {len(data) // 1024} KB "
    f"| baseline plain docx {bare_s:.2f} s ({summary_s / bare_s:.2f}×) | target < 10 s: "
    f"{'met' if summary_s < 10 else 'MISSED'} | again, charts and photos cached: {warm_s:.2f} s"
)

# 2. send-up of the 300-unit county (snapshot with the summary document)
rollup_s, _ = timed(lambda: rollup(year=2023, root=county, approved_only=True, depth=0), repeat=5)
n = [0]


def send() -> SendUp:
    n[0] += 1
    return sendup_create(source=county_campaign, target=city_campaign, actor="bench")


send_s, s = timed(send)  # after the summary was drafted and looked at (its charts and photos cached)
assert len(s.units) == 300 and s.table["events_held"] == "900"
cache.clear()
cold_s, _ = timed(send, repeat=1)
print(
    f"send-up, 300 units (table, units, summary docx): {send_s:.2f} s | baseline roll-up alone "
    f"{rollup_s * 1000:.0f} ms ({send_s / rollup_s:.0f}×) | target < 5 s: {'met' if send_s < 5 else 'MISSED'}"
    f" | with nothing cached: {cold_s:.2f} s"
)

# 3. a province's review queue: 100 regions below it, each with a campaign, 10 approved reports, a send-up
prov = OrgUnit.add_root(name="队列省", code="Q-P", kind=UnitKind.PROVINCE)
prov_campaign = campaign(prov)
sendups = []
for i in range(100):
    region = OrgUnit.objects.get(pk=prov.pk).add_child(
        name=f"地区{i:03d}", code=f"Q-{i:03d}", kind=UnitKind.CITY
    )
    kids = [
        OrgUnit.objects.get(pk=region.pk).add_child(
            name=f"地区{i:03d}单位{j}", code=f"Q-{i:03d}-{j}", kind=UnitKind.DEPARTMENT
        )
        for j in range(10)
    ]
    c = campaign(region)
    approved_reports(c, kids)
    versions = {str(r.pk): r.version for r in Report.objects.filter(campaign=c)}
    sendups.append(
        SendUp(
            source=c,
            target=prov_campaign,
            region=region,
            number=1,
            table={"events_held": "30"},
            units=[],
            report_versions=versions,
            sent_at=timezone.now(),
            status=["sent", "approved", "returned"][i % 3],
        )
    )
SendUp.objects.bulk_create(sendups)
user = get_user_model().objects.create_user(username="bench-prov", password="bench-Pass-1234")
Membership.objects.create(user=user, unit=prov, role=Role.ORGANIZER)


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare), path("", include("sciweek.urls"))]
with override_settings(ROOT_URLCONF=__name__):
    client = Client()
    client.force_login(user)
    url = f"/summary/campaign/{prov_campaign.pk}/received/"
    assert client.get(url).content.decode().count("data-region=") == 100

    def median_ms(u: str) -> float:
        for _ in range(5):
            assert client.get(u).status_code == 200
        times = []
        for _ in range(min(args.repeat, 50)):
            t = time.perf_counter()
            client.get(u)
            times.append((time.perf_counter() - t) * 1000)
        return statistics.median(times)

    queue_ms, bare_ms = median_ms(url), median_ms("/__bare__/")
print(
    f"province review queue, 100 regions: {queue_ms:.1f} ms | bare view {bare_ms:.2f} ms "
    f"({queue_ms / bare_ms:.0f}×) | target < 200 ms: {'met' if queue_ms < 200 else 'MISSED'}"
)
