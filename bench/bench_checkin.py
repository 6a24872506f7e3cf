"""Check-in scans at the door through gunicorn on PostgreSQL: ≥ 300 scans/s, each counted once.

Staff phones (keep-alive connections; the logged-in session, CSRF token and door pass that opening
the check-in page gives, see sciweek/events/door.py) post scans to the check-in endpoint for one
event with 30,000 registrations:
1. one scan per request, as a phone online at the door sends them (every tenth scan repeats a ticket
   already scanned: "已签到");
2. queued scans synced in batches of 50, as a phone sends its offline queue;
3. a batch replayed (the phone never saw the answer): nothing may change.
Afterwards each registration has at most one check-in and every scan UUID is stored once. The
baseline is the same gunicorn serving a static file the size of one scan's answer; the CPU each scan
cost gunicorn and PostgreSQL is printed too (what a shared machine's figures cannot show).

Usage: .venv/bin/python bench/bench_checkin.py [--postgres URL] [--seconds 10] [--connections 16]
(Runs longer than the door pass lasts, 2 minutes, go on with the session after it lapses.)
"""

from __future__ import annotations

from _events_http import bench_setup

args = bench_setup(__doc__)

import argparse  # noqa: E402
import json  # noqa: E402
import threading  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402

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
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from sciweek.events.models import CODE_ALPHABET, CheckIn, Event, Registration, Scan  # noqa: E402
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


event = published_event(
    demo_week(),
    unit=OrgUnit.objects.get(short_name="县气象局"),
    title="气象科普嘉年华",
    category="公众科学日",
    venue="县体育场",
    hours=8,
    capacity=N * 2,
)
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
# Loaded past the services: the places are counted from the rows when the event is next locked.
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
    baseline = static_baseline(server.port, static, connections=own.connections)
    runs, cpu = {}, {}

    def counts() -> tuple[int, int]:
        return CheckIn.objects.count(), Scan.objects.count()

    def open_page() -> tuple[dict[str, str], str]:
        """The check-in page, as the staff phone opens it: session, CSRF token and a fresh door pass
        (the page's counter renews it every 5 s; wrk's fixed headers cannot, so each run starts anew)."""
        return csrf_session(server.port, f"/manage/events/{event.pk}/checkin/", session)

    for name, batch, offset in (
        ("one scan per request", 1, 1),
        (f"batches of {BATCH} (offline queue)", BATCH, 2),
    ):
        cookies, token = open_page()
        meter = CpuMeter(server)
        meter.start()
        runs[name] = wrk_lua(
            server.port,
            lua_script(batch, offset, cookies, token),
            seconds=own.seconds,
            connections=own.connections,
        ) or python_scans(server.port, batch, offset, cookies, token)
        cpu[name] = meter.stop()
        settle(counts)  # requests the load client stopped waiting for finish first
    before = counts()
    cookies, token = open_page()
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

print(
    f"bench_checkin: {N} registrations, PostgreSQL, gunicorn {server_kind(4, own.threads)}, "
    f"{own.connections} connections, {own.seconds} s a run"
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
    if line := cpu_line(cpu[name], scans, "scan"):
        print(line)
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
