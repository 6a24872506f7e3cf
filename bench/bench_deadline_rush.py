"""Deadline rush: 200 concurrent clients fill in and submit their units' tables through the API.

gunicorn (gthread, the platform as deployed) is started on 127.0.0.1 at a free port, on PostgreSQL.
Each client is one keep-alive HTTP connection (asyncio tasks in this process: 200 threads of
http.client cost the two cores more CPU than the server's own work). A client takes units off a shared
list and, with a unit reporter's API token, sends all 16 values with the report's version and submits:
  --mode one-call (default)  POST /submit with the values: saved and submitted in one transaction;
  --mode two-step            PUT /values, then POST /submit with the version the PUT answered.
One unit in ten has a second reporter writing at the same moment, so some writes meet a stale version
(409, with the rows that changed and the current version): the loser writes again on top of the
current version, and may find the report already submitted (then it is refused, 400). Checked at the
end: no 5xx, no connection errors, every report submitted, and every
report's stored values equal the values of its last accepted write (the 200 with the highest version).
Target (issue): ≥ 100 submissions/s, no errors. Baseline, same run: the same gunicorn serving a static
file (WhiteNoise, before Django) at the same concurrency. The CPU per submission of gunicorn,
PostgreSQL and the load client is printed too.

    .venv/bin/python bench/bench_deadline_rush.py --postgres URL [--units 2000] [--clients 200] [--mode two-step]
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections import Counter
from decimal import Decimal

from _asyncload import Connection as AsyncConnection
from synthetic import setup


def _extra(p) -> None:
    p.add_argument("--units", type=int, default=2000)
    p.add_argument("--clients", type=int, default=200)
    # As README's deployment advice: a worker per core, threads to wait on PostgreSQL side by side.
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=24)
    p.add_argument("--mode", choices=["one-call", "two-step"], default="one-call")
    # Scale-out (bench_scaleout.py): N gunicorn instances sharing PostgreSQL and Redis, clients spread
    # over them in turn, so a unit's two reporters usually write through different instances.
    p.add_argument("--instances", type=int, default=1)
    p.add_argument("--redis", default="redis://127.0.0.1:6379/7", help="shared cache with --instances > 1")


args = setup(__doc__, extra=_extra)
if not args.postgres:
    sys.exit("bench_deadline_rush needs --postgres URL (the issue's set-up: gunicorn + PostgreSQL)")

from _events_http import CpuMeter, cpu_line, server_kind, start_gunicorn, static_baseline, static_copy  # noqa: E402
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


# --- the load: one asyncio task per client, each with its own keep-alive connection -----------------
statuses: Counter[int | str] = Counter()
accepted: dict[int, tuple[int, dict[str, int]]] = {}  # report -> (version, values) of its latest 200 write


class Connection(AsyncConnection):
    """The shared keep-alive client (bench/_asyncload.py), calling with a unit reporter's token."""

    def __init__(self, port: int) -> None:
        super().__init__(port, statuses)

    async def call(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:  # type: ignore[override]
        return await super().call(method, path, body, headers={"Authorization": f"Bearer {token}"})


def values_for(rnd: random.Random) -> dict[str, int]:
    values = {c: rnd.randint(0, 40) for c in CODES}
    values["media_outlets"] = min(
        values["media_outlets"], values["media_reports"]
    )  # the form's cross-row rule
    return values


def record(report_id: int, version: int, values: dict[str, int]) -> None:
    if report_id not in accepted or accepted[report_id][0] < version:
        accepted[report_id] = (version, values)


async def fill(conn: Connection, token: str, report_id: int, rnd: random.Random) -> None:
    """Send the unit's values and submit them; on a stale version re-read and try again (a colleague
    may have submitted meanwhile: then the write is refused, 400, as it should be)."""
    values = values_for(rnd)
    cells = {c: {"value": v} for c, v in values.items()}
    version = 1  # every report starts empty at version 1
    for _ in range(10):
        if args.mode == "one-call":
            status, body = await conn.call(
                "POST", f"/api/v1/reports/{report_id}/submit", token, {"version": version, "values": cells}
            )
            if status == 200:
                record(report_id, body["version"], values)
                return
        else:
            status, body = await conn.call(
                "PUT", f"/api/v1/reports/{report_id}/values", token, {"version": version, "values": cells}
            )
            if status == 200:
                record(report_id, body["version"], values)
                await conn.call(
                    "POST", f"/api/v1/reports/{report_id}/submit", token, {"version": body["version"]}
                )
                return
        if status != 409:
            return
        # The 409 names the rows that changed and the current version: write again on top of it (a
        # report submitted meanwhile then answers 400, and the unit's colleague has won).
        version = body["current_version"]


async def rush(ports: list[int], work: list[tuple[str, int]]) -> None:
    pending = iter(work)

    async def client(n: int) -> None:
        conn, rnd = Connection(ports[n % len(ports)]), random.Random(n)
        for token, report_id in pending:
            await fill(conn, token, report_id, rnd)
        conn.close()

    await asyncio.gather(*(client(n) for n in range(args.clients)))


work: list[tuple[str, int]] = []
rnd = random.Random(7)
for u in units:
    work.append((tokens[u.pk][0], report_of[u.pk]))
    if rnd.random() < 0.1:  # a colleague of the same unit types at the same time
        work.append((tokens[u.pk][1], report_of[u.pk]))

reply_sized = static_copy("reply.json", 1500)  # before the server starts: WhiteNoise lists files once
shared = {"SCIWEEK_REDIS_URL": args.redis} if args.instances > 1 else {}
servers = [
    start_gunicorn(workers=args.workers, threads=args.threads, env_extra=shared)
    for _ in range(args.instances)
]
server = servers[0]
try:
    baseline = static_baseline(server.port, reply_sized, connections=args.clients)
    meters = [CpuMeter(s) for s in servers]
    for meter in meters:
        meter.start()
    client_cpu = time.process_time()
    t0 = time.perf_counter()
    asyncio.run(rush([s.port for s in servers], work))
    elapsed = time.perf_counter() - t0
    client_cpu = time.process_time() - client_cpu
    used = [meter.stop() for meter in meters]
    cpu = dict(used[0])
    cpu["server"] = sum(u.get("server", 0.0) for u in used)
finally:
    for s in servers:
        s.stop()

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
    f"bench_deadline_rush (PostgreSQL, {args.instances} × gunicorn {server_kind(args.workers, args.threads)}, "
    f"{args.clients} clients, "
    f"{len(units):,} units, {os.cpu_count()} CPUs, {args.mode}: "
    + ("values and submission in one POST)" if args.mode == "one-call" else "PUT values, then POST submit)")
)
print(f"  bare static file round trips   {baseline.rps:7.1f} requests/s ({baseline.tool})")
print(
    f"  API requests                   {requests / elapsed:7.1f} requests/s   "
    f"statuses {dict(sorted(statuses.items(), key=str))}"
)
print(
    f"  submissions                    {rate:7.1f} /s   ({submitted:,} in {elapsed:.1f} s)   target ≥ {TARGET:.0f}/s "
    f"{'OK' if rate >= TARGET else 'OVER'};  {rate / baseline.rps:.3f}× the static round trip"
)
print(cpu_line(cpu, submitted, "submission"))
print(f"    CPU per submission of the load client itself: {client_cpu * 1000 / max(submitted, 1):.1f} ms")
print(f"  errors (5xx, connection)       {errors}   {'OK' if not errors else 'FAILED'}")
print(
    f"  reports submitted              {submitted:,}/{len(units):,}   {'OK' if submitted == len(units) else 'FAILED'}"
)
print(
    f"  stored = last accepted write   {len(accepted) - len(mismatched):,}/{len(accepted):,}   "
    f"{'OK' if not mismatched and len(accepted) == len(units) else 'FAILED'}"
)
