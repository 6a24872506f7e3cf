"""Public registrations through gunicorn (4 workers) on PostgreSQL: ≥ 150/s, zero oversell.

Browsers post the registration form (each request a new mobile number, with a CSRF cookie and
token) for a fixed time, in two runs:
1. one hot event with 600 places and a waiting list of 60: it fills during the run, then the
   waiting list fills, then people are told it is full. Its registrations take their places from
   the event's shards (sciweek/events/places.py) and commit side by side, instead of queuing on the
   event row for one disk flush each;
2. the same for 20 events of 60 places (the week as the public sees it).
Afterwards no event may hold more confirmed places than its capacity, and the events' counters
must agree with the registrations. The target is judged on the registrations taken per second (first
to last), not on all attempts: once an event is full, its "full" answers are quick. The baseline is the same gunicorn serving a static file the
size of the registration page; the CPU each attempt cost gunicorn and PostgreSQL is printed too
(what a shared machine's figures cannot show). The load client is wrk with a Lua script when installed (else
Python threads). The per-address rate limit is lifted (SCIWEEK_REGISTRATION_RATE=1000000/60: every
request comes from 127.0.0.1), but still counted on every request.

Usage: .venv/bin/python bench/bench_registration.py [--postgres URL] [--seconds 15] [--connections 16]
"""

from __future__ import annotations

from _events_http import bench_setup

args = bench_setup(__doc__)

import argparse  # noqa: E402
import threading  # noqa: E402
from collections import Counter  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from _events_http import (  # noqa: E402
    CpuMeter,
    cookie_header,
    cpu_line,
    csrf_session,
    demo_week,
    published_event,
    python_load,
    ratio_line,
    server_kind,
    settle,
    start_gunicorn,
    static_baseline,
    static_copy,
    wrk_lua,
)
from django.db import connection  # noqa: E402
from django.db.models import Max, Min, Sum  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from sciweek.events.models import Event, Registration  # noqa: E402
from sciweek.events.registration import places, recount  # noqa: E402

opts = argparse.ArgumentParser()
opts.add_argument("--seconds", type=int, default=15)
opts.add_argument("--connections", type=int, default=16)
opts.add_argument(
    "--capacity", type=int, default=600, help="places of the hot event (20 × capacity/10 spread)"
)
opts.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread when > 1)")
own, _ = opts.parse_known_args()
TARGET = 150.0

campaign = demo_week()
units = list(campaign.participating_units())


def make_event(i: int, capacity: int) -> Event:
    return published_event(
        campaign,
        unit=units[i % len(units)],
        title=f"科普大讲堂第{i + 1}场",
        day=1 + i % 10,
        capacity=capacity,
        waitlist=capacity // 10,
    )


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
    meter = CpuMeter(server)
    meter.start()
    result, outcomes = wrk_lua(
        server.port, lua(events, offset, cookies, token), seconds=own.seconds, connections=own.connections
    ) or python_run(server, events, offset, cookies, token)
    cpu = meter.stop()
    settle(lambda: (Registration.objects.filter(event__in=events).count(),))
    return result, outcomes, cpu


def check(name: str, events: list[Event], result, outcomes, cpu, baseline) -> bool:
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
    print(ratio_line(name, result, baseline, None, unit="registration attempts/s"))
    # Attempts include the quick "full" answers once the places are gone; the target is judged on the
    # registrations taken (confirmed or waitlisted) per second from the first to the last.
    span = rows.aggregate(first=Min("created_at"), last=Max("created_at"))
    seconds = max((span["last"] - span["first"]).total_seconds(), 1e-3) if span["first"] else 0.0
    taken = type(result)(rows.count(), seconds or result.seconds, tool=result.tool)
    verdict = "OK" if taken.rps >= TARGET else "BELOW TARGET"
    print(
        f"  {name}: {taken.requests} registrations taken in {taken.seconds:.1f} s = {taken.rps:.0f} "
        f"registrations/s while places lasted (target ≥ {TARGET:.0f}/s {verdict})"
    )
    if line := cpu_line(cpu, result.requests, "registration attempt"):
        print(line)
    return not over and not drift


with connection.cursor() as cursor:
    cursor.execute("SHOW synchronous_commit")
    sync_commit = cursor.fetchone()[0]
server = start_gunicorn(workers=4, threads=own.threads, env_extra={"SCIWEEK_REGISTRATION_RATE": "1000000/60"})
try:
    baseline = static_baseline(server.port, static, connections=own.connections)
    hot_result = run(server, hot, 0)
    spread_result = run(server, spread, 10**8)
finally:
    server.stop()

print(
    f"bench_registration: {own.connections} connections for {own.seconds} s a run, PostgreSQL "
    f"(synchronous_commit={sync_commit}), gunicorn {server_kind(4, own.threads)}"
)
print(f"  static file the size of the form page ({page_size} bytes): {baseline.summary()}")
ok = check(f"one event, {own.capacity} places", hot, *hot_result, baseline)
ok &= check(f"20 events, {own.capacity // 10} places each", spread, *spread_result, baseline)
if not ok:
    raise SystemExit(1)
