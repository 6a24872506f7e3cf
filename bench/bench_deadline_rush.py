"""Deadline rush: 200 concurrent clients fill in and submit their units' tables through the API.

gunicorn (gthread) is started by this script on 127.0.0.1 at a free port, on PostgreSQL. Each client
is one HTTP connection with a unit reporter's API token; it takes units off a shared queue and, for
each, PUTs all 16 values (with the report's version) then POSTs the submission. One unit in ten has a
second reporter writing at the same moment, so some writes meet a stale version (409): the loser
re-reads and writes again, and may find the report already submitted (then it is refused, 400).
Checked at the end: no 5xx, no connection errors, every report submitted, and every report's stored
values equal the values of its last accepted write (the 200 response with the highest version).
Target (issue): ≥ 100 submissions/s, no errors. Baseline, same run: a bare gunicorn round trip
(a static file served by whitenoise) at the same concurrency.

    .venv/bin/python bench/bench_deadline_rush.py --postgres URL [--units 2000] [--clients 200]
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal

from synthetic import ROOT, setup


def _extra(p) -> None:
    p.add_argument("--units", type=int, default=2000)
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=16)


args = setup(__doc__, extra=_extra)
if not args.postgres:
    sys.exit("bench_deadline_rush needs --postgres URL (the issue's set-up: gunicorn + PostgreSQL)")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402

from sciweek.accounts.models import ApiToken, hash_token  # noqa: E402
from sciweek.orgs.models import Membership, OrgUnit, Role, UnitKind  # noqa: E402
from sciweek.reports.formspec import SIXIAN_2023_FORM  # noqa: E402
from sciweek.reports.models import Report, ReportValue  # noqa: E402
from sciweek.reports.tests.stats_data import campaign_for  # noqa: E402

TARGET = 100.0
CODES = [r.code for r in SIXIAN_2023_FORM.rows]
User = get_user_model()

# --- data: a county with --units units, two reporters (two tokens) per unit, empty reports ----------
county = OrgUnit.objects.filter(code="RUSH-K").first()
if county is None or county.numchild < args.units:
    if county is not None:
        Report.objects.filter(campaign__org_unit=county).delete()
        OrgUnit.objects.filter(path__startswith=county.path).delete()
        User.objects.filter(username__startswith="rush-").delete()
    county = OrgUnit.add_root(name="冲刺测试县", code="RUSH-K", kind=UnitKind.COUNTY)
    units = [
        OrgUnit(name=f"冲刺单位{i + 1:05d}", code=f"RUSH-{i + 1:05d}", kind=UnitKind.DEPARTMENT)
        for i in range(args.units)
    ]
    # treebeard paths by hand, as in synthetic.py: the children of the new root in name order
    from synthetic import _step  # noqa: E402

    for i, u in enumerate(units):
        u.path, u.depth, u.numchild = county.path + _step(i + 1), 2, 0
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    OrgUnit.objects.filter(pk=county.pk).update(numchild=args.units)
campaign = county.campaigns.filter(year=2023).first() or campaign_for(county, 2023)
campaign.forms.update(required_attachments=[])  # the rush is about the table; attachments are another bench
units = list(OrgUnit.objects.filter(path__startswith=county.path, depth=2).order_by("path")[: args.units])
Report.objects.filter(campaign=campaign).delete()
form = campaign.forms.get(is_current=True)
Report.objects.bulk_create([Report(campaign=campaign, unit=u, form=form) for u in units], batch_size=2000)
report_of = dict(Report.objects.filter(campaign=campaign).values_list("unit_id", "pk"))

password = make_password(None)
tokens: dict[int, list[str]] = {}
existing = {u.username for u in User.objects.filter(username__startswith="rush-")}
new_users = [
    User(username=f"rush-{u.pk}-{k}", password=password)
    for u in units
    for k in (1, 2)
    if f"rush-{u.pk}-{k}" not in existing
]
User.objects.bulk_create(new_users, batch_size=2000)
by_name = {u.username: u for u in User.objects.filter(username__startswith="rush-")}
ApiToken.objects.filter(user__username__startswith="rush-").delete()
Membership.objects.filter(user__username__startswith="rush-").delete()
memberships, token_rows = [], []
for u in units:
    for k in (1, 2):
        user = by_name[f"rush-{u.pk}-{k}"]
        raw = ApiToken.new_raw()
        memberships.append(Membership(user=user, unit=u, role=Role.UNIT_REPORTER))
        token_rows.append(ApiToken(user=user, name="rush", prefix=raw[3:9], key_hash=hash_token(raw)))
        tokens.setdefault(u.pk, []).append(raw)
Membership.objects.bulk_create(memberships, batch_size=2000)
ApiToken.objects.bulk_create(token_rows, batch_size=2000)


# --- gunicorn ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
env = {
    **os.environ,
    "DATABASE_URL": args.postgres,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SCIWEEK_INSECURE_HTTP": "1",
    "SCIWEEK_VAR_DIR": tempfile.mkdtemp(prefix="sciweek-rush-"),
    "SCIWEEK_CACHE": "locmem",
    "SCIWEEK_LOG_LEVEL": "ERROR",
    "PYTHONWARNINGS": "ignore",
}
env.pop("SCIWEEK_TESTING", None)
subprocess.run(
    [str(ROOT / ".venv/bin/sciweek"), "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
)
server = subprocess.Popen(
    [
        str(ROOT / ".venv/bin/gunicorn"),
        "sciweek.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(args.workers),
        "-k",
        "gthread",
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ],
    cwd=ROOT,
    env=env,
    start_new_session=True,
)
try:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        raise SystemExit("gunicorn did not start")

    statuses: Counter[int | str] = Counter()
    accepted: dict[int, tuple[int, dict[str, int]]] = {}  # report -> (version, values) of its latest 200 PUT
    lock = threading.Lock()

    def call(conn: http.client.HTTPConnection, method: str, path: str, token: str, body: dict | None = None):
        for attempt in range(3):
            try:
                conn.request(
                    method,
                    path,
                    body=json.dumps(body) if body is not None else None,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                response = conn.getresponse()
                data = response.read()
                with lock:
                    statuses[response.status] += 1
                try:
                    return response.status, (json.loads(data) if data else {})
                except ValueError:
                    return response.status, {}
            except (http.client.HTTPException, OSError):
                conn.close()
                if attempt == 2:
                    with lock:
                        statuses["connection error"] += 1
                    return 0, {}
        return 0, {}

    def fill(conn, token: str, report_id: int, rnd: random.Random) -> None:
        """Write all values (re-reading on a stale version), then submit; record what was accepted."""
        values = {c: rnd.randint(0, 40) for c in CODES}
        values["media_outlets"] = min(
            values["media_outlets"], values["media_reports"]
        )  # the form's cross-row rule
        status, body = 200, {"version": 1, "editable": True}  # every report starts empty at version 1
        for _ in range(10):
            if status != 200 or not body.get("editable"):
                return
            status, body = call(
                conn,
                "PUT",
                f"/api/v1/reports/{report_id}/values",
                token,
                {"version": body["version"], "values": {c: {"value": v} for c, v in values.items()}},
            )
            if status == 200:
                with lock:
                    if report_id not in accepted or accepted[report_id][0] < body["version"]:
                        accepted[report_id] = (body["version"], values)
                break
            if status != 409:
                return
            status, body = call(conn, "GET", f"/api/v1/reports/{report_id}", token)
        if status == 200:
            call(conn, "POST", f"/api/v1/reports/{report_id}/submit", token, {"version": body["version"]})

    work: queue.Queue = queue.Queue()
    rnd = random.Random(7)
    for u in units:
        work.put((tokens[u.pk][0], report_of[u.pk]))
        if rnd.random() < 0.1:  # a colleague of the same unit types at the same time
            work.put((tokens[u.pk][1], report_of[u.pk]))

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        r = random.Random(n)
        while True:
            try:
                token, report_id = work.get_nowait()
            except queue.Empty:
                return
            fill(conn, token, report_id, r)

    def bare(n: int, count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for _ in range(count):
            call(conn, "GET", "/static/sciweek/site.css", "x")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=bare, args=(n, 10)) for n in range(args.clients)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    bare_rate = args.clients * 10 / (time.perf_counter() - t0)
    statuses.clear()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    elapsed = time.perf_counter() - t0
finally:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)

submitted = Report.objects.filter(campaign=campaign, status=Report.Status.SUBMITTED).count()
stored: dict[int, dict[str, Decimal]] = {}
for report_id, code, value in ReportValue.objects.filter(report__campaign=campaign).values_list(
    "report_id", "row_code", "value"
):
    stored.setdefault(report_id, {})[code] = value
mismatched = [
    rid
    for rid, (_, values) in accepted.items()
    if {c: Decimal(v) for c, v in values.items()} != stored.get(rid)
]
errors = sum(n for s, n in statuses.items() if s == "connection error" or (isinstance(s, int) and s >= 500))
rate = submitted / elapsed
requests = sum(statuses.values())
print(
    f"bench_deadline_rush (PostgreSQL, gunicorn gthread {args.workers}×{args.threads}, {args.clients} clients, "
    f"{len(units):,} units, {os.cpu_count()} CPUs)"
)
print(f"  bare static file round trips   {bare_rate:7.1f} requests/s")
print(
    f"  API requests                   {requests / elapsed:7.1f} requests/s   statuses {dict(sorted(statuses.items(), key=str))}"
)
print(
    f"  submissions                    {rate:7.1f} /s   ({submitted:,} in {elapsed:.1f} s)   target ≥ {TARGET:.0f}/s "
    f"{'OK' if rate >= TARGET else 'OVER'}"
)
print(f"  errors (5xx, connection)       {errors}   {'OK' if not errors else 'FAILED'}")
print(
    f"  reports submitted              {submitted:,}/{len(units):,}   {'OK' if submitted == len(units) else 'FAILED'}"
)
print(
    f"  stored = last accepted write   {len(accepted) - len(mismatched):,}/{len(accepted):,}   "
    f"{'OK' if not mismatched and len(accepted) == len(units) else 'FAILED'}"
)
