"""The statistics table's hot paths with the demo data, against bare views on the same stack.

- autosave of one cell (htmx POST: lock, version check, validate, write, change record, audit, render)
  against a bare POST view that bumps the report's version in a transaction (the cheapest real write).
  Target ≤ 5×.
- the unit's entry page and the bureau's review queue (every unit with a filled report) against a bare
  GET by the same logged-in client (session + user only). The pages read about ten tables and render
  16 rows / 30 units, so the target is ≤ 10×.

Each measurement alternates the page and its baseline request by request, so a busy machine slows
both alike; the medians are printed.

Usage: .venv/bin/python bench/bench_report_entry.py [--postgres URL] [--repeat N]
"""

from __future__ import annotations

import itertools
import statistics
import time

from _django import setup

args = setup(__doc__)

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from sciweek.campaigns.models import Campaign  # noqa: E402
from sciweek.demo.loader import demo_exists, load_demo  # noqa: E402
from sciweek.reports import services  # noqa: E402
from sciweek.reports.models import Report, ReportValue  # noqa: E402


def paired(fn, base, repeat: int) -> tuple[float, float]:
    """Medians (ms) of ``fn`` and ``base`` run alternately ``repeat`` times after a warm-up."""
    for _ in range(10):
        fn()
        base()
    a, b = [], []
    for _ in range(repeat):
        for f, out in ((fn, a), (base, b)):
            t0 = time.perf_counter()
            f()
            out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(a), statistics.median(b)


def bare(request):
    return HttpResponse("ok")


@require_POST
def bare_write(request, report_id: int):
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(version=F("version") + 1)
    return HttpResponse("ok")


urlpatterns = [
    path("__bare__/", bare),
    path("__bare__/<int:report_id>/", bare_write),
    path("", include("sciweek.urls")),
]

if not demo_exists():
    load_demo(full=False)
campaign = Campaign.objects.get(year=2023)
User = get_user_model()
for unit in campaign.participating_units():  # every unit has a filled draft: a realistic queue
    report = services.report_get_or_create(campaign=campaign, unit=unit, actor="bench")
    if not report.values.exists():
        ReportValue.objects.bulk_create(
            [ReportValue(report=report, row_code=row.code, value=7) for row in report.form.rows.all()]
        )

with override_settings(ROOT_URLCONF=__name__):
    unit_client, org_client = Client(), Client()
    unit_client.force_login(User.objects.get(username="sx-qxj"))
    org_client.force_login(User.objects.get(username="sx-kjj"))
    report = Report.objects.get(campaign=campaign, unit__short_name="县气象局")
    numbers = itertools.count(1)

    def autosave():
        version = Report.objects.filter(pk=report.pk).values_list("version", flat=True).get()
        r = unit_client.post(
            f"/reports/{report.pk}/cell/events_held/",
            {"v_events_held": str(next(numbers) % 400), "version": version},
            HTTP_HX_REQUEST="true",
        )
        assert 'data-kind="saved"' in r.content.decode()

    def bare_save():
        Report.objects.filter(pk=report.pk).values_list("version", flat=True).get()
        unit_client.post(f"/__bare__/{report.pk}/", {"v_events_held": "1", "version": 1})

    rows = [
        ("autosave one cell", *paired(autosave, bare_save, args.repeat), "bare write", 5.0),
        (
            "entry page (县气象局)",
            *paired(
                lambda: unit_client.get(f"/reports/{campaign.pk}/mine/"),
                lambda: unit_client.get("/__bare__/"),
                args.repeat,
            ),
            "bare GET",
            10.0,
        ),
        (
            "review queue (30 units)",
            *paired(
                lambda: org_client.get(f"/reports/{campaign.pk}/review/"),
                lambda: org_client.get("/__bare__/"),
                args.repeat,
            ),
            "bare GET",
            10.0,
        ),
    ]
db = "PostgreSQL" if args.postgres else "SQLite"
print(f"bench_report_entry ({db}, median of {args.repeat})")
for name, ms, baseline, what, target in rows:
    ratio = ms / baseline
    print(
        f"  {name:<24} {ms:7.2f} ms  vs {what} {baseline:6.2f} ms = {ratio:4.1f}×  "
        f"(target ≤ {target:.0f}×) {'OK' if ratio <= target else 'OVER'}"
    )
