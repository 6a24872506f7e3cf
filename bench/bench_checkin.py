"""Check-in scans at the door through gunicorn on PostgreSQL: ≥ 300 scans/s, each counted once.

Staff phones (keep-alive connections, a logged-in session with its CSRF token) post scans to the
check-in endpoint for one event with 30,000 registrations:
1. one scan per request, as a phone online at the door sends them (every tenth scan repeats a ticket
   already scanned: "已签到");
2. queued scans synced in batches of 50, as a phone sends its offline queue;
3. a batch replayed (the phone never saw the answer): nothing may change.
Afterwards each registration has at most one check-in and every scan UUID is stored once. The
baseline is the same gunicorn serving a static file the size of one scan's answer.

Usage: .venv/bin/python bench/bench_checkin.py [--postgres URL] [--seconds 10] [--connections 16]
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
import json  # noqa: E402
import threading  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402

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
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from sciweek.campaigns.demo import load_demo  # noqa: E402
from sciweek.campaigns.models import Campaign  # noqa: E402
from sciweek.events.models import CODE_ALPHABET, CheckIn, Event, Registration, Scan  # noqa: E402
from sciweek.events.services import event_approve, event_create, event_submit  # noqa: E402
from sciweek.orgs.models import OrgUnit  # noqa: E402

opts = argparse.ArgumentParser()
opts.add_argument("--seconds", type=int, default=10)
opts.add_argument("--connections", type=int, default=16)
opts.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread when > 1)")
own, _ = opts.parse_known_args()
TARGET = 300.0
N = 30_000
BATCH = 50


def code_for(n: int) -> str:
    digits = []
    for _ in range(8):
        n, r = divmod(n, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[r])
    return "".join(reversed(digits))


load_demo()
campaign = Campaign.objects.get(year=2023)
today = timezone.localdate()
campaign.start_date, campaign.end_date = today, today + dt.timedelta(days=11)
campaign.save(update_fields=["start_date", "end_date"])
start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9)))
event = event_create(
    actor="bench",
    campaign=campaign,
    unit=OrgUnit.objects.get(short_name="县气象局"),
    title="气象科普嘉年华",
    category="公众科学日",
    mode="offline",
    starts_at=start,
    ends_at=start + dt.timedelta(hours=8),
    audiences=["公众"],
    venue="县体育场",
    expected_scale=N,
    safety_contact="刘工",
    safety_phone="13955700101",
    registration_enabled=True,
    capacity=N * 2,
    waitlist_limit=0,
)
event = event_approve(actor="bench", event=event_submit(actor="bench", event=event))
codes = [code_for(n + 1000) for n in range(N)]
Registration.objects.bulk_create(
    [
        Registration(
            event=event, name=f"观众{n}", phone=f"13{n:09d}", party_size=1, status="confirmed", code=codes[n]
        )
        for n in range(N)
    ],
    batch_size=2000,
)
Event.objects.filter(pk=event.pk).update(confirmed_places=N)

staff = Client()
staff.force_login(get_user_model().objects.get(username="sx-qxj"))
session = {"sessionid": staff.cookies["sessionid"].value}
sync = f"/manage/events/{event.pk}/checkin/sync/"
one_answer = json.dumps(
    {
        "results": [
            {
                "uuid": str(uuid.uuid4()),
                "result": "ok",
                "ok": True,
                "message": "观众1（1人）签到成功。",
                "name": "观众1",
                "time": "10:32",
                "replayed": False,
            }
        ],
        "arrivals": {"checkins": 1, "people": 1, "walkin_people": 0},
    },
    ensure_ascii=False,
)
static = static_copy("scan.json", len(one_answer.encode()))
lua_codes = "{" + ",".join(f'"{c}"' for c in codes) + "}"


def lua_script(batch: int, offset: int, cookies: dict[str, str], token: str) -> str:
    return f"""
local codes = {lua_codes}
local n = #codes
wrk.method = "POST"
wrk.path = "{sync}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "{cookie_header(cookies)}"
wrk.headers["X-CSRFToken"] = "{token}"
function request()
  counter = counter + 1
  local items = {{}}
  for j = 1, {batch} do
    local k = (counter - 1) * {batch} + j
    local pick = k
    if {batch} == 1 and k % 10 == 0 and k > 5 then pick = k - 5 end  -- a ticket scanned again
    local idx = ({offset} * 7919 + tid * 15000 + pick) % n + 1
    items[j] = string.format('{{"uuid":"%08x-%04x-4000-8000-%012x","code":"%s"}}', tid, {offset}, k, codes[idx])
  end
  return wrk.format(nil, nil, nil, '{{"scans":[' .. table.concat(items, ",") .. ']}}')
end
function classify(status, body)
  if status ~= 200 then return "http_" .. status end
  local ok, dup = 0, 0
  for _ in string.gmatch(body, '"result": "ok"') do ok = ok + 1 end
  for _ in string.gmatch(body, '"result": "duplicate"') do dup = dup + 1 end
  outcomes["scan_ok"] = (outcomes["scan_ok"] or 0) + ok
  outcomes["scan_duplicate"] = (outcomes["scan_duplicate"] or 0) + dup
  return "http_200"
end
"""


def python_scans(port: int, batch: int, offset: int, cookies: dict[str, str], token: str):
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def make(w: int, i: int):
        items = []
        for j in range(batch):
            k = i * batch + j + 1
            pick = k - 5 if batch == 1 and k % 10 == 0 and k > 5 else k
            idx = (offset * 7919 + w * (N // own.connections) + pick) % N
            items.append({"uuid": f"{w:08x}-{offset:04x}-4000-8000-{k:012x}", "code": codes[idx]})
        return (
            "POST",
            sync,
            json.dumps({"scans": items}).encode(),
            {"Content-Type": "application/json", "Cookie": cookie_header(cookies), "X-CSRFToken": token},
        )

    def on_response(w: int, status: int, data: bytes, headers) -> None:
        results = json.loads(data)["results"] if status == 200 else []
        with lock:
            outcomes[f"http_{status}"] += 1
            outcomes.update(f"scan_{r['result']}" for r in results)

    result = python_load(port, make, workers=own.connections, seconds=own.seconds, on_response=on_response)
    return result, outcomes


server = start_gunicorn(workers=4, threads=own.threads)
try:
    cookies, token = csrf_session(server.port, f"/manage/events/{event.pk}/checkin/", session)
    baseline = wrk_get(server.port, static, seconds=5, connections=own.connections) or python_load(
        server.port, lambda w, i: ("GET", static, None, {}), workers=own.connections, seconds=5
    )
    runs = {}

    def counts() -> tuple[int, int]:
        return CheckIn.objects.count(), Scan.objects.count()

    for name, batch, offset in (
        ("one scan per request", 1, 1),
        (f"batches of {BATCH} (offline queue)", BATCH, 2),
    ):
        runs[name] = wrk_lua(
            server.port,
            lua_script(batch, offset, cookies, token),
            seconds=own.seconds,
            connections=own.connections,
        ) or python_scans(server.port, batch, offset, cookies, token)
        settle(counts)  # requests the load client stopped waiting for finish first
    before = counts()
    replay = json.dumps({"scans": [{"uuid": str(s.uuid), "code": s.raw} for s in Scan.objects.all()[:BATCH]]})
    replayed = python_load(
        server.port,
        lambda w, i: (
            (
                "POST",
                sync,
                replay.encode(),
                {"Content-Type": "application/json", "Cookie": cookie_header(cookies), "X-CSRFToken": token},
            )
            if i < 2
            else None
        ),
        workers=4,
    )
    after = settle(counts)
finally:
    server.stop()

kind = f"4 workers × {own.threads} threads (gthread)" if own.threads > 1 else "4 sync workers"
print(
    f"bench_checkin: {N} registrations, PostgreSQL, gunicorn {kind}, {own.connections} connections, "
    f"{own.seconds} s a run"
)
print(f"  static file the size of one scan's answer ({len(one_answer.encode())} bytes): {baseline.summary()}")
scans_total = 0
for name, (result, outcomes) in runs.items():
    scans = (
        outcomes["scan_ok"]
        + outcomes["scan_duplicate"]
        + sum(
            v for k, v in outcomes.items() if k.startswith("scan_") and k not in ("scan_ok", "scan_duplicate")
        )
    )
    scans_total += scans
    per_s = type(result)(scans, result.seconds, result.statuses, result.latencies_ms, result.tool)
    print(f"  {name}: {result.summary()}")
    print(
        f"    {scans} scans: {outcomes['scan_ok']} checked in, {outcomes['scan_duplicate']} already checked in"
    )
    print(ratio_line(name, per_s, baseline, TARGET, unit="scans/s"))
checkins = CheckIn.objects.filter(event=event).count()
stored = Scan.objects.filter(event=event).count()
ok_stored = Scan.objects.filter(event=event, result="ok").count()
per_registration = CheckIn.objects.filter(event=event).values("registration").distinct().count()
consistent = checkins == ok_stored == per_registration and stored >= scans_total
print(
    f"  database: {stored} scans stored ({scans_total} answered before the client stopped waiting), "
    f"{checkins} check-ins = {ok_stored} scans stored as 签到成功 = {per_registration} registrations checked in: "
    f"{'consistent, nobody twice' if consistent else 'INCONSISTENT'}"
)
print(
    f"  replaying a batch of {BATCH} twice ({replayed.summary().strip()}): check-ins {before[0]} → {after[0]}, "
    f"scans {before[1]} → {after[1]} — {'nothing counted twice' if before == after else 'COUNTED AGAIN'}"
)
if not consistent or before != after:
    raise SystemExit(1)
