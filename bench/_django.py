"""Shared set-up for benchmarks: a throw-away database (SQLite file, or PostgreSQL with --postgres URL)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--postgres", metavar="URL", help="run on PostgreSQL (a database that may be dropped)"
    )
    parser.add_argument("--repeat", type=int, default=200)
    args, _ = parser.parse_known_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="sciweek-bench-"))
    if args.postgres:
        ensure_postgres_db(args.postgres)
    os.environ["SCIWEEK_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["SCIWEEK_INSECURE_HTTP"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciweek.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    from django.core.management import call_command

    if args.postgres:
        call_command("flush", "--noinput", verbosity=0) if _has_tables() else None
    call_command("migrate", verbosity=0)
    return args


def ensure_postgres_db(url: str) -> None:
    """Create the benchmark database if it is missing (never touches an existing one's data)."""
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _has_tables() -> bool:
    from django.db import connection

    return "orgs_orgunit" in connection.introspection.table_names()


def median_ms(fn, repeat: int) -> float:
    import statistics
    import time

    for _ in range(min(20, repeat)):
        fn()  # warm caches, connections, templates
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)
