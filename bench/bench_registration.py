"""Public registrations through gunicorn (4 workers) on PostgreSQL: ≥ 150/s, zero oversell.

Browsers post the registration form (each request a new mobile number, with a CSRF cookie and
token) for a fixed time, in two runs:
1. one hot event with 600 places and a waiting list of 60: it fills during the run, then the
   waiting list fills, then people are told it is full. Every registration for this event passes
   the same row lock one after another, so its rate is bounded by one commit's disk flush;
2. the same for 20 events of 60 places (the week as the public sees it): independent locks.
Afterwards no event may hold more confirmed places than its capacity, and the events' counters
must agree with the registrations. The baseline is the same gunicorn serving a static file the
size of the registration page. The load client is wrk with a Lua script when installed (else
Python threads). The per-address rate limit is lifted (SCIWEEK_REGISTRATION_RATE=1000000/60: every
request comes from 127.0.0.1), but still counted on every request.

Usage: .venv/bin/python bench/bench_registration.py [--postgres URL] [--seconds 15] [--connections 16]
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
import threading  # noqa: E402
from collections import Counter  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from _events_http import (  # noqa: E402
    cookie_header,
    csrf_session,
    python_load,
    ratio_line,
    settle,
    start_gunicorn,
    static_copy,
    wrk_get,
    wrk_lua,
)
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from sciweek.campaigns.demo import load_demo  # noqa: E402
from sciweek.campaigns.models import Campaign  # noqa: E402
from sciweek.events.models import Event, Registration  # noqa: E402
from sciweek.events.registration import places, recount  # noqa: E402
from sciweek.events.services import event_approve, event_create, event_submit  # noqa: E402

opts = argparse.ArgumentParser()
opts.add_argument("--seconds", type=int, default=15)
opts.add_argument("--connections", type=int, default=16)
opts.add_argument(
    "--capacity", type=int, default=600, help="places of the hot event (20 × capacity/10 spread)"
)
opts.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread when > 1)")
own, _ = opts.parse_known_args()
TARGET = 150.0

load_demo()
campaign = Campaign.objects.get(year=2023)
today = timezone.localdate()
campaign.start_date, campaign.end_date = today, today + dt.timedelta(days=11)
campaign.save(update_fields=["start_date", "end_date"])
units = list(campaign.participating_units())


def make_event(i: int, capacity: int) -> Event:
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1 + i % 10), dt.time(9)))
    e = event_create(
        actor="bench",
        campaign=campaign,
        unit=units[i % len(units)],
        title=f"科普大讲堂第{i + 1}场",
        category="科普讲座",
        mode="offline",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        audiences=["公众"],
        venue="县文化中心",
        expected_scale=capacity,
        safety_contact="刘工",
        safety_phone="13955700101",
        registration_enabled=True,
        capacity=capacity,
        waitlist_limit=capacity // 10,
    )
    return event_approve(actor="bench", event=event_submit(actor="bench", event=e))


hot = [make_event(0, own.capacity)]
spread = [make_event(i + 1, own.capacity // 10) for i in range(20)]
with override_settings(ALLOWED_HOSTS=["*"]):
    page_size = len(Client().get(f"/events/{hot[0].pk}/register/").content)
static = static_copy("register.html", page_size)
NAME = urlencode({"name": "报名者"})


def lua(events: list[Event], offset: int, cookies: dict[str, str], token: str) -> str:
    paths = "{" + ",".join(f'"/events/{e.pk}/register/"' for e in events) + "}"
    return f"""
local paths = {paths}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie_header(cookies)}"
function request()
  counter = counter + 1
  local phone = string.format("13%09d", {offset} + tid * 10000000 + counter)
  local body = "csrfmiddlewaretoken={token}&{NAME}&party_size=1&agree=on&phone=" .. phone
  return wrk.format(nil, paths[counter % #paths + 1], nil, body)
end
function classify(status, body)
  if status == 302 then return "registered" end
  if status == 200 and string.find(body, "名额已满", 1, true) then return "full" end
  return "other_" .. status
end
"""


def python_run(server, events: list[Event], offset: int, cookies: dict[str, str], token: str):
    lock = threading.Lock()
    outcomes: Counter = Counter()

    def make(w: int, i: int):
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": "报名者",
                "phone": f"13{offset + w * 10**7 + i:09d}",
                "party_size": 1,
                "agree": "on",
            }
        ).encode()
        return (
            "POST",
            f"/events/{events[i % len(events)].pk}/register/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)},
        )

    def on_response(w: int, status: int, data: bytes, headers) -> None:
        kind = (
            "registered"
            if status == 302
            else "full"
            if "名额已满" in data.decode("utf-8", "replace")
            else f"other_{status}"
        )
        with lock:
            outcomes[kind] += 1

    result = python_load(
        server.port, make, workers=own.connections, seconds=own.seconds, on_response=on_response
    )
    return result, outcomes


def run(server, events: list[Event], offset: int):
    cookies, token = csrf_session(server.port, f"/events/{events[0].pk}/register/")
    out = wrk_lua(
        server.port, lua(events, offset, cookies, token), seconds=own.seconds, connections=own.connections
    ) or python_run(server, events, offset, cookies, token)
    settle(lambda: (Registration.objects.filter(event__in=events).count(),))
    return out


def check(name: str, events: list[Event], result, outcomes, baseline) -> bool:
    capacity = sum(e.capacity for e in events)
    rows = Registration.objects.filter(event__in=events)
    confirmed = rows.filter(status="confirmed").aggregate(n=Sum("party_size"))["n"] or 0
    waitlisted = rows.filter(status="waitlisted").count()
    over = [e.pk for e in events if recount(e).confirmed > e.capacity]
    drift = [e.pk for e in events if places(Event.objects.get(pk=e.pk)) != recount(e)]
    print(f"  {name}: {result.summary()}")
    print(
        f"    answers {dict(outcomes)}; database: {confirmed} confirmed of {capacity} places, {waitlisted} "
        f"waitlisted, {rows.count()} rows (answered “registered”: {outcomes['registered']}) — "
        f"{'ZERO OVERSELL' if not over else f'OVERSOLD at events {over}'}, "
        f"{'counters agree with the rows' if not drift else f'COUNTERS DRIFTED at {drift}'}"
    )
    print(ratio_line(name, result, baseline, TARGET, unit="registration attempts/s"))
    return not over and not drift


with connection.cursor() as cursor:
    cursor.execute("SHOW synchronous_commit")
    sync_commit = cursor.fetchone()[0]
server = start_gunicorn(workers=4, threads=own.threads, env_extra={"SCIWEEK_REGISTRATION_RATE": "1000000/60"})
try:
    baseline = wrk_get(server.port, static, seconds=5, connections=own.connections) or python_load(
        server.port, lambda w, i: ("GET", static, None, {}), workers=own.connections, seconds=5
    )
    hot_result = run(server, hot, 0)
    spread_result = run(server, spread, 10**8)
finally:
    server.stop()

kind = f"4 workers × {own.threads} threads (gthread)" if own.threads > 1 else "4 sync workers"
print(
    f"bench_registration: {own.connections} connections for {own.seconds} s a run, PostgreSQL "
    f"(synchronous_commit={sync_commit}), gunicorn {kind}"
)
print(f"  static file the size of the form page ({page_size} bytes): {baseline.summary()}")
ok = check(f"one event, {own.capacity} places", hot, *hot_result, baseline)
ok &= check(f"20 events, {own.capacity // 10} places each", spread, *spread_result, baseline)
if not ok:
    raise SystemExit(1)
