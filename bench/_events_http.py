"""Shared by the events benchmarks: a real gunicorn on a spare 127.0.0.1 port, and a load client.

The server runs the platform as deployed (DEBUG off, manifest static files, PostgreSQL), plus one
extra: requests under /__bench_static__/ are answered by WhiteNoise straight from a directory,
before Django — the baseline "same gunicorn serving a static file of the same size".

The load client uses `wrk` when installed (GET only), else Python threads with http.client
keep-alive connections. Both run on the same two cores as the server, as a phone crowd would not.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sciweek_bench_events"
STATIC_PREFIX = "/__bench_static__/"


def _make_app():
    from django.urls import get_resolver
    from whitenoise import WhiteNoise

    from sciweek.wsgi import application  # as deployed (README: gunicorn sciweek.wsgi), the vote's lane too

    # Import every URL module (the API's routers, the views they pull in) here, in the master, before
    # the workers fork: otherwise each worker does it at its first request — a second of CPU or more —
    # and any worker the warm-up requests missed does it during a measured run.
    get_resolver().url_patterns  # noqa: B018
    return WhiteNoise(
        application,
        root=os.environ["SCIWEEK_BENCH_STATIC"],
        prefix=STATIC_PREFIX,
        autorefresh=False,
        max_age=0,
    )


# gunicorn entry point `_events_http:application` (loaded once in the master with --preload).
application = _make_app() if os.environ.get("SCIWEEK_BENCH_STATIC") else None


def bench_setup(doc: str):
    """`--postgres URL` (default DEFAULT_PG, dropped and rebuilt) and Django set up on it."""
    if "--postgres" not in sys.argv:
        sys.argv += ["--postgres", DEFAULT_PG]
    from _django import setup

    return setup(doc)


def demo_week():
    """The demo loaded, its campaign's week moved to start today (so its events take registrations)."""
    from django.utils import timezone

    from sciweek.campaigns.models import Campaign
    from sciweek.demo.loader import load_demo

    load_demo(full=False)
    campaign = Campaign.objects.get(year=2023)
    today = timezone.localdate()
    campaign.start_date, campaign.end_date = today, today + dt.timedelta(days=11)
    campaign.save(update_fields=["start_date", "end_date"])
    return campaign


def published_event(
    campaign,
    *,
    unit,
    title: str,
    category: str = "科普讲座",
    venue: str = "县文化中心",
    day: int = 1,
    hours: int = 2,
    capacity: int | None = None,
    waitlist: int = 0,
):
    """An approved event `day` days from today at 09:00 with registration (if `capacity`), made
    through the services as a unit and its organizer would."""
    from django.utils import timezone

    from sciweek.events.large import event_safety_save, missing_for_approval
    from sciweek.events.services import event_approve, event_create, event_submit

    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=day), dt.time(9))
    )
    event = event_create(
        actor="bench",
        campaign=campaign,
        unit=unit,
        title=title,
        category=category,
        mode="offline",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        audiences=["公众"],
        venue=venue,
        expected_scale=capacity or 100,
        safety_contact="刘工",
        safety_phone="13955700101",
        registration_enabled=capacity is not None,
        capacity=capacity,
        waitlist_limit=waitlist,
    )
    if missing_for_approval(event):
        # A big bench event is a 大型群众性活动 (五.4): it files its safety plan and permit first, as a unit must.
        event = event_safety_save(
            actor="bench", event=event, permit_number="泗公安许〔2023〕1号", upload=_safety_plan_pdf()
        )
    return event_approve(actor="bench", event=event_submit(actor="bench", event=event))


def _safety_plan_pdf():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Safety plan (bench)")
    pdf.save()
    return SimpleUploadedFile("safety-plan.pdf", out.getvalue(), content_type="application/pdf")


def server_kind(workers: int, threads: int) -> str:
    return f"{workers} workers × {threads} threads (gthread)" if threads > 1 else f"{workers} sync workers"


def static_baseline(port: int, path: str, *, connections: int, seconds: int = 5) -> LoadResult:
    """The same gunicorn serving a static file (WhiteNoise, before Django): the ratio's denominator."""
    return wrk_get(port, path, seconds=seconds, connections=connections) or python_load(
        port, lambda w, i: ("GET", path, None, {}), workers=connections, seconds=seconds
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    static_dir: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.startswith(("PATH", "HOME", "LANG", "LC_", "TZ"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sciweek.settings",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "SCIWEEK_VAR_DIR": os.environ["SCIWEEK_VAR_DIR"],  # same secret key as this process
            "SCIWEEK_INSECURE_HTTP": "1",
            "SCIWEEK_DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SCIWEEK_LOG_LEVEL": "ERROR",
        }
    )
    for key in ("SCIWEEK_REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    env.update(extra or {})
    return env


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "sciweek"), "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)


def bench_static_dir() -> Path:
    path = Path(os.environ["SCIWEEK_VAR_DIR"]) / "bench-static"
    path.mkdir(exist_ok=True)
    return path


def static_copy(name: str, size: int) -> str:
    """A static HTML file of `size` bytes for the server to serve (write it before starting it)."""
    body = ("<!doctype html><html><body>" + "x" * size)[: max(size - 14, 0)] + "</body></html>"
    (bench_static_dir() / name).write_text(body[:size].ljust(size), encoding="ascii")
    return STATIC_PREFIX + name


def start_gunicorn(*, workers: int = 4, threads: int = 1, env_extra: dict[str, str] | None = None) -> Server:
    static_dir = bench_static_dir()
    env = server_env(env_extra) | {"SCIWEEK_BENCH_STATIC": str(static_dir)}
    collectstatic(env)
    port = free_port()
    cmd = [
        str(BIN / "gunicorn"),
        "_events_http:application",
        "--chdir",
        str(ROOT / "bench"),
        "--pythonpath",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--log-level",
        "error",
        "--keep-alive",
        "5",
        "--backlog",
        "2048",
        "--preload",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    server = Server(proc, port, static_dir)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
    # Warm every worker (templates, URL resolver, database connection) before anything is measured.
    python_load(port, lambda w, i: ("GET", "/events/", None, {}) if i < 5 else None, workers=workers * 2)
    return server


def _cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


class CpuMeter:
    """CPU time of the gunicorn server (master and workers) and of this database's PostgreSQL backends
    (when PostgreSQL runs on this machine, Linux) between `start()` and `stop()`.

    On a machine shared with other work, requests per second say little about the code; the CPU each
    request costs the server and the database says what the same load needs of an idle machine."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.before: dict[str, dict[int, int]] = {}
        self.machine_before: int | None = None
        self.own_before = 0.0

    def _pids(self) -> dict[str, list[int]]:
        from django.db import connection

        children: list[int] = []
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii") as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == self.server.proc.pid:
                            children.append(int(entry))
                except (OSError, IndexError, ValueError):
                    continue
        backends: list[int] = []
        if connection.settings_dict.get("HOST") in ("", "localhost", "127.0.0.1", "::1"):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                backends = [row[0] for row in cursor.fetchall()]
        return {"server": [self.server.proc.pid, *children], "db": backends}

    def _read(self) -> dict[str, dict[int, int]]:
        return {
            kind: {pid: t for pid in pids if (t := _cpu_ticks(pid)) is not None}
            for kind, pids in self._pids().items()
        }

    def start(self) -> None:
        self.before = self._read()
        self.machine_before, self.own_before = _machine_ticks(), time.process_time()

    def stop(self) -> dict[str, float]:
        """CPU seconds used since start(), by "server" and "db" (left out when not measured here).

        "db" is PostgreSQL's backends, read from the process list; a backend that ends during the run
        (a connection older than CONN_MAX_AGE closes) takes its CPU with it, so when the whole machine's
        busy time minus the server's and this process's is larger, that remainder is taken instead."""
        tick = os.sysconf("SC_CLK_TCK")
        after = self._read()
        used = {
            kind: sum(t - self.before.get(kind, {}).get(pid, 0) for pid, t in now.items()) / tick
            for kind, now in after.items()
            if now
        }
        machine = _machine_ticks()
        if "db" in used and machine is not None and self.machine_before is not None:
            rest = (machine - self.machine_before) / tick - used.get("server", 0.0)
            rest -= time.process_time() - self.own_before
            used["db"] = max(used["db"], rest)
        return used


def _machine_ticks() -> int | None:
    """Busy CPU ticks of the whole machine (user + nice + system + irq + softirq), Linux only."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return user + nice + system + irq + softirq


def cpu_line(cpu: dict[str, float] | None, count: int, what: str) -> str:
    if not cpu or not count or not cpu.get("server"):
        return ""
    server, cores = cpu["server"] * 1000 / count, os.cpu_count() or 1
    if "db" not in cpu:
        return f"    CPU per {what}: gunicorn {server:.1f} ms (PostgreSQL runs elsewhere: not measured)"
    db = cpu["db"] * 1000 / count
    return (
        f"    CPU per {what}: gunicorn {server:.1f} ms + PostgreSQL {db:.1f} ms = {server + db:.1f} ms "
        f"(≈ {cores * 1000 / (server + db):.0f}/s if it had the {cores} cores to itself, load client aside)"
    )


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    tool: str = "python"

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> str:
        lat = f", p50 {statistics.median(self.latencies_ms):.1f} ms" if self.latencies_ms else ""
        if self.tool == "python" and self.latencies_ms:
            lat += f", p95 {self.p(0.95):.1f} ms"
        codes = ", ".join(f"{k}×{v}" for k, v in sorted(self.statuses.items())) if self.statuses else ""
        return f"{self.rps:8.1f} req/s ({self.requests} in {self.seconds:.1f} s, {self.tool}{lat}{', ' if codes else ''}{codes})"


def wrk_get(port: int, path: str, *, seconds: int, connections: int, threads: int = 2) -> LoadResult | None:
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _wrk_result(out)


def settle(count: Callable[[], tuple], *, quiet: float = 1.5, limit: float = 60.0) -> tuple:
    """Wait until `count()` stops changing: requests the load client gave up on may still be running."""
    deadline = time.time() + limit
    last = count()
    while time.time() < deadline:
        time.sleep(quiet)
        now = count()
        if now == last:
            return now
        last = now
    return last


def _wrk_result(out: str) -> LoadResult:
    count, scale, took, unit = re.search(r"([\d.]+)([kM]?) requests in ([\d.]+)(ms|s|m)", out).groups()
    total = int(float(count) * {"": 1, "k": 1000, "M": 1_000_000}[scale])
    elapsed = float(took) * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = max(total, round(rps * elapsed))  # "12.3k" loses digits; Requests/sec does not
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    statuses = Counter({"2xx/3xx": total - (int(non2xx.group(1)) if non2xx else 0)})
    if non2xx:
        statuses["other"] = int(non2xx.group(1))
    if errors:
        statuses["socket errors: " + errors.group(1).strip()] = 1
    result = LoadResult(total, elapsed, statuses, tool="wrk")
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    if p50:
        factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
        result.latencies_ms = [float(p50.group(1)) * factor]
    return result


LUA_FRAME = """
local threads, nthreads = {}, 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  outcomes = {}
end
function response(status, headers, body)
  local k = classify(status, body)
  outcomes[k] = (outcomes[k] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("outcomes")) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format("OUTCOME %s %d\\n", k, v)) end
end
"""


def wrk_lua(
    port: int, lua: str, *, seconds: int, connections: int, threads: int = 2
) -> tuple[LoadResult, Counter] | None:
    """Run wrk with a script that defines request() and classify(status, body) (the frame above adds
    per-outcome counting); return the load figures and the outcomes, or None without wrk."""
    if not shutil.which("wrk"):
        return None
    script = Path(os.environ["SCIWEEK_VAR_DIR"]) / f"wrk-{port}.lua"
    script.write_text(LUA_FRAME + lua, encoding="utf-8")
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    outcomes = Counter(
        {m.group(1): int(m.group(2)) for m in re.finditer(r"^OUTCOME (\S+) (\d+)$", out, re.M)}
    )
    return _wrk_result(out), outcomes


Request = tuple[str, str, bytes | None, dict[str, str]]


def python_load(
    port: int,
    make: Callable[[int, int], Request | None],
    *,
    workers: int,
    seconds: float | None = None,
    per_worker: int | None = None,
    on_response: Callable[[int, int, bytes, list[tuple[str, str]]], None] | None = None,
) -> LoadResult:
    """`workers` threads, each with its own keep-alive connection, send make(worker, i) until time or
    count runs out (make returns None to stop that worker)."""
    statuses: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(workers + 1)
    stop_at = [0.0]

    def run(w: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local_lat, local_status = [], Counter()
        barrier.wait()
        i = 0
        while (per_worker is None or i < per_worker) and (
            seconds is None or time.perf_counter() < stop_at[0]
        ):
            req = make(w, i)
            if req is None:
                break
            method, path, body, headers = req
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                local_status["connection error"] += 1
                i += 1
                continue
            local_lat.append((time.perf_counter() - t0) * 1000)
            local_status[resp.status] += 1
            if on_response is not None:
                on_response(w, resp.status, data, resp.getheaders())
            i += 1
        conn.close()
        with lock:
            latencies.extend(local_lat)
            statuses.update(local_status)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    start = time.perf_counter()
    stop_at[0] = start + (seconds or 1e9)
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return LoadResult(sum(statuses.values()), elapsed, statuses, latencies)


def get_once(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data, {k.lower(): v for k, v in resp.getheaders()}


def cookies_from(headers: list[tuple[str, str]]) -> dict[str, str]:
    """name → value of every Set-Cookie in a response."""
    out = {}
    for key, value in headers:
        if key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            out[name.strip()] = rest.split(";", 1)[0]
    return out


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def csrf_session(port: int, path: str, cookies: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """GET a page with a form: the cookies it sets and the CSRF token in its body."""
    cookies = dict(cookies or {})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie_header(cookies)} if cookies else {})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8")
    conn.close()
    cookies.update(cookies_from(resp.getheaders()))
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body) or re.search(
        r'"X-CSRFToken": "([^"]+)"', body
    )
    if resp.status != 200 or match is None:
        raise SystemExit(f"GET {path}: {resp.status}, no CSRF token")
    return cookies, match.group(1)


def ratio_line(
    name: str, result: LoadResult, baseline: LoadResult, target: float | None, unit: str = "req/s"
) -> str:
    ok = "" if target is None else (" OK" if result.rps >= target else " BELOW TARGET")
    aim = "" if target is None else f" (target ≥ {target:.0f} {unit}{ok})"
    return f"  {name}: {result.rps:.0f} {unit}{aim}; {result.rps / baseline.rps:.2f}× the static baseline"
