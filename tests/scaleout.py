"""A small cluster on this machine for the scale-out test: two gunicorn instances on free ports, a
Celery worker and a Celery beat, all on one PostgreSQL database, one Redis database for the shared
cache (SCIWEEK_REDIS_URL) and another as the broker, and one media folder.

Nothing is shared through a process's memory: sessions are database rows, the access and fragment
generations and the rate-limit / login counters live in Redis, jobs are rows run by the worker, files
are in the shared folder.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CACHE_DB, BROKER_DB = 7, 8  # dedicated Redis databases: only these are flushed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"process exited with {proc.returncode}")
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _wait_ready(port: int, timeout: float = 120) -> None:
    """/readyz answers 200: database, migrations, Redis and the broker all reachable."""
    import requests

    deadline = time.time() + timeout
    last = ""
    while time.time() < deadline:
        try:
            r = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=30)
            if r.status_code == 200:
                return
            last = r.text
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.5)
    raise RuntimeError(f"instance on {port} not ready: {last[:500]}")


@dataclass
class Cluster:
    database_url: str
    workdir: Path
    redis_host: str = "127.0.0.1:6379"
    ports: list[int] = field(default_factory=list)
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SCIWEEK_", "PYTEST", "DJANGO_"))}
        env.pop("DATABASE_URL", None)
        return env | {
            "DJANGO_SETTINGS_MODULE": "sciweek.settings",
            "DATABASE_URL": self.database_url,
            "SCIWEEK_VAR_DIR": str(self.workdir / "var"),  # one secret key for every process
            "SCIWEEK_MEDIA_ROOT": str(self.workdir / "media"),  # the shared storage
            "SCIWEEK_REDIS_URL": f"redis://{self.redis_host}/{CACHE_DB}",
            "CELERY_BROKER_URL": f"redis://{self.redis_host}/{BROKER_DB}",
            "SCIWEEK_INSECURE_HTTP": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SCIWEEK_LOG_LEVEL": "WARNING",
        }

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "sciweek"), *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=600
        )
        if done.returncode:
            raise RuntimeError(f"sciweek {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout

    def python(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        return done.stdout

    def spawn_python(self, code: str, *args: str) -> subprocess.Popen:
        """A Django process with the cluster's settings, running ``code`` (its output read by the caller)."""
        return subprocess.Popen(
            [sys.executable, "-c", "import django; django.setup()\n" + code, *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def flush_redis(self) -> None:
        host, port = self.redis_host.split(":")
        for db in (CACHE_DB, BROKER_DB):
            redis.Redis(host=host, port=int(port), db=db).flushdb()

    def _spawn(self, cmd: list[str], name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            cmd, env=self.env | (env or {}), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        self.procs.append(proc)
        return proc

    def start(self, instances: int = 2, *, scheduler_threads: bool = False) -> None:
        """``scheduler_threads``: each instance also runs the reminders' minute in a thread
        (SCIWEEK_SCHEDULER=thread), on top of beat and the worker: more schedulers than production needs."""
        (self.workdir / "var").mkdir(parents=True, exist_ok=True)
        self.flush_redis()
        self.run("collectstatic", "--noinput", "-v0")
        for n in range(instances):
            port = free_port()
            proc = self._spawn(
                [str(BIN / "gunicorn"), "sciweek.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
                + ["--threads", "4", "--worker-class", "gthread", "--log-level", "warning", "--preload"],
                f"gunicorn-{n}",
                {"SCIWEEK_SCHEDULER": "thread"} if scheduler_threads else None,
            )
            _wait_port(port, proc)
            self.ports.append(port)
            _wait_ready(port)
        self._spawn([str(BIN / "celery"), "-A", "sciweek", "worker", "-c", "1", "-l", "warning"], "worker")
        beat_file = self.workdir / "beat-schedule"
        self._spawn(
            [str(BIN / "celery"), "-A", "sciweek", "beat", "-s", str(beat_file), "-l", "warning"], "beat"
        )

    def url(self, n: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[n]}{path}"

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()
        self.flush_redis()

    def redis(self, db: int = CACHE_DB) -> redis.Redis:
        host, port = self.redis_host.split(":")
        return redis.Redis(host=host, port=int(port), db=db)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
