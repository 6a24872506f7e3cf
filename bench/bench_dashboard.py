"""A county's statistics dashboard (40 units, last year beside this one) and its roll-up page.

On the synthetic tree (bench/synthetic.py), so the tables hold the whole country while one county is
looked at. Each page is requested through the Django test client (full middleware stack, templates,
the cross-check providers other apps registered) and timed; baseline: a bare view returning a
string through the same stack, in the same run. Target (issue): median < 100 ms for the dashboard.

    .venv/bin/python bench/bench_dashboard.py [--postgres URL] [--scale small|full] [--repeat N]
"""

from __future__ import annotations

import statistics
import time

from synthetic import setup

args = setup(__doc__, extra=lambda p: p.add_argument("--repeat", type=int, default=100))

from django.contrib.auth import get_user_model  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from synthetic import ensure  # noqa: E402

from sciweek.campaigns.models import Campaign  # noqa: E402
from sciweek.orgs.models import Membership, OrgUnit, Role  # noqa: E402
from sciweek.reports import crosscheck  # noqa: E402
from sciweek.reports.models import Report  # noqa: E402
from sciweek.reports.tests.stats_data import campaign_for, put_report  # noqa: E402

TARGET_MS = 100.0


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare), path("", include("sciweek.urls"))]

data = ensure(args.scale, fresh=args.fresh)
campaign = Campaign.objects.select_related("org_unit").get(pk=data.campaign_ids[len(data.campaign_ids) // 2])
county = campaign.org_unit
user = get_user_model().objects.filter(username="bench-county").first()
if user is None:
    user = get_user_model().objects.create_user(username="bench-county", password="bench-Pass-1234")
Membership.objects.get_or_create(user=user, unit=county, role=Role.ORGANIZER)
if not Campaign.objects.filter(org_unit=county, year=campaign.year - 1).exists():
    last = campaign_for(county, campaign.year - 1)
    for unit in OrgUnit.objects.filter(path__startswith=county.path, depth=county.depth + 1):
        put_report(
            last, unit, {"events_held": 3, "fund_fiscal": "1.5", "public_offline": 500}, status="approved"
        )


def median_ms(client: Client, url: str) -> float:
    for _ in range(min(10, args.repeat)):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
    c = Client()
    c.force_login(user)
    units = Report.objects.filter(campaign=campaign).count()
    base = median_ms(c, "/__bare__/")
    rows = [
        (f"dashboard ({units} units)", median_ms(c, f"/reports/{campaign.pk}/dashboard/"), TARGET_MS),
        (
            "dashboard, approved only",
            median_ms(c, f"/reports/{campaign.pk}/dashboard/?scope=approved"),
            TARGET_MS,
        ),
        ("roll-up page of the county", median_ms(c, f"/reports/{campaign.pk}/rollup/"), None),
    ]
    # The same dashboard without the cross-check providers other apps registered (the events app's
    # asks one query per unit): what the dashboard itself costs.
    saved = (dict(crosscheck._PROVIDERS), dict(crosscheck._BATCH))
    crosscheck._PROVIDERS.clear()
    crosscheck._BATCH.clear()
    rows.append(("dashboard, no cross-check", median_ms(c, f"/reports/{campaign.pk}/dashboard/"), TARGET_MS))
    crosscheck._PROVIDERS.update(saved[0])
    crosscheck._BATCH.update(saved[1])
    providers = ", ".join([*saved[0], *saved[1]]) or "none"
print(
    f"bench_dashboard ({args.db}, scale {args.scale}: {data.reports:,} reports in the database; "
    f"median of {args.repeat}; cross-check providers: {providers}): bare view {base:.2f} ms"
)
for name, ms, target in rows:
    verdict = f"target < {target:.0f} ms {'OK' if ms < target else 'OVER'}" if target else ""
    print(f"  {name:<28} {ms:7.2f} ms  = {ms / base:5.1f}× bare view   {verdict}")
