"""The public calendar with 2,000 published events, through gunicorn (4 workers) on PostgreSQL.

Target: ≥ 300 requests/s on 2 cores for a day of the calendar (20 events a page), printed beside the
same gunicorn serving a static HTML file of the same size (the ratio is what Django, the database
and the template cost on top of the web server itself). The load client (wrk if installed, else
Python threads with keep-alive) runs on the same machine.

Usage: .venv/bin/python bench/bench_calendar.py [--postgres URL] [--seconds 8] [--connections 16]
"""

from __future__ import annotations

import sys

from _events_http import DEFAULT_PG

if "--postgres" not in sys.argv:
    sys.argv += ["--postgres", DEFAULT_PG]

from _django import setup  # noqa: E402

args = setup(__doc__)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import random  # noqa: E402

from _events_http import (  # noqa: E402
    get_once,
    python_load,
    ratio_line,
    start_gunicorn,
    static_copy,
    wrk_get,
)
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from sciweek.campaigns.models import Campaign  # noqa: E402
from sciweek.demo.loader import load_demo  # noqa: E402
from sciweek.events.choices import AUDIENCES, CATEGORIES, EventStatus, Mode  # noqa: E402
from sciweek.events.models import Event  # noqa: E402

opts = argparse.ArgumentParser()
opts.add_argument("--seconds", type=int, default=8)
opts.add_argument("--connections", type=int, default=16)
opts.add_argument("--events", type=int, default=2000)
own, _ = opts.parse_known_args()
TARGET = 300.0


def make_events(campaign: Campaign, n: int) -> None:
    rng = random.Random(2023)
    units = list(campaign.participating_units())
    categories = sorted(CATEGORIES)
    rows = []
    for i in range(n):
        day = campaign.start_date + dt.timedelta(days=i % 12)
        start = timezone.make_aware(
            dt.datetime.combine(day, dt.time(8 + rng.randrange(12), rng.choice([0, 30])))
        )
        mode = rng.choice([Mode.OFFLINE, Mode.OFFLINE, Mode.ONLINE, Mode.BOTH])
        capped = rng.random() < 0.3
        rows.append(
            Event(
                campaign=campaign,
                unit=units[i % len(units)],
                title=f"科普活动第{i + 1}场：{rng.choice(categories)}进基层",
                category=rng.choice(categories),
                audiences=rng.sample(AUDIENCES, 2),
                mode=mode,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                venue="" if mode == Mode.ONLINE else f"活动中心{i % 40 + 1}号厅",
                online_platform="泗县发布" if mode != Mode.OFFLINE else "",
                online_url="https://live.example.com/e%d" % i if mode != Mode.OFFLINE else "",  # noqa: UP031
                registration_enabled=capped,
                capacity=rng.choice([30, 50, 100]) if capped else None,
                expected_scale=60,
                safety_contact="安全员",
                safety_phone="13955700101",
                description="活动介绍。" * 20,
                status=EventStatus.APPROVED,
            )
        )
    Event.objects.bulk_create(rows, batch_size=500)


load_demo(full=False)
campaign = Campaign.objects.get(year=2023)
make_events(campaign, own.events)
day = campaign.start_date + dt.timedelta(days=3)
urls = {
    f"calendar, one day ({day:%-m月%-d日}, 20 a page)": f"/events/?day={day.isoformat()}",
    "calendar, all days, page 1": "/events/?day=all",
    "calendar, search + filter": "/events/?day=all&mode=online&q=%E7%A7%91%E6%99%AE",
    "an event's page (QR code)": f"/events/{Event.objects.filter(campaign=campaign).first().pk}/",
}
main = next(iter(urls))
with override_settings(ALLOWED_HOSTS=["*"]):  # the page's size, to write a static file of the same size
    sizes = {name: len(Client().get(url).content) for name, url in urls.items()}
static = static_copy("calendar.html", sizes[main])
server = start_gunicorn(workers=4)
try:
    for name, url in urls.items():
        status, body, _ = get_once(server.port, url)
        assert status == 200, (url, status)
        sizes[name] = len(body)
    assert get_once(server.port, static)[0] == 200

    def measure(path: str):
        for _ in range(3):  # warm every worker's templates and cache
            python_load(server.port, lambda w, i: ("GET", path, None, {}) if i < 10 else None, workers=8)
        return wrk_get(server.port, path, seconds=own.seconds, connections=own.connections) or python_load(
            server.port, lambda w, i: ("GET", path, None, {}), workers=own.connections, seconds=own.seconds
        )

    baseline = measure(static)
    results = {name: measure(url) for name, url in urls.items()}
finally:
    server.stop()

print(
    f"bench_calendar: {own.events} published events, PostgreSQL, gunicorn 4 sync workers, "
    f"{own.connections} connections, {own.seconds} s each"
)
print(f"  static file of the same size ({sizes[main]} bytes): {baseline.summary()}")
for name, result in results.items():
    print(f"  {name} [{sizes[name]} bytes]: {result.summary()}")
print(ratio_line(main, results[main], baseline, TARGET))
for name, result in list(results.items())[1:]:
    print(ratio_line(name, result, baseline, None))
