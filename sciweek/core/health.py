"""/healthz, /readyz and /metrics for load balancers and Prometheus (no login, no session, no cache).

/healthz: the process answers. /readyz: it can serve — the database answers, every migration is
applied, and Redis (cache) and the Celery broker answer when configured; 503 with what failed.
/metrics: Prometheus text format (core/metrics.py), behind SCIWEEK_METRICS_TOKEN when that is set.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

_migrated = False


def _bare(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    # No user to load (accounts' middleware honours this mark): probes never touch the session.
    view.checks_own_user = True  # type: ignore[attr-defined]
    return view


# once every migration was seen applied, this process need not look again


def _database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    global _migrated
    if _migrated:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    _migrated = True


def _redis() -> None:
    from django.core.cache import cache

    client = getattr(cache, "_cache", None)
    if client is not None and hasattr(client, "get_client"):
        client.get_client(write=True).ping()


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def checks() -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {"database": _database, "migrations": _migrations}
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        found["redis"] = _redis
    if settings.CELERY_BROKER_URL:
        found["broker"] = _broker
    return found


@_bare
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@_bare
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    results: dict[str, str] = {}
    ok = True
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            check()
            results[name] = f"ok ({(time.perf_counter() - started) * 1000:.0f} ms)"
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said in the answer
            ok = False
            results[name] = f"fail: {type(exc).__name__}: {exc}"[:300]
    return JsonResponse({"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503)


@_bare
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.SCIWEEK_METRICS:
        return HttpResponse(status=404)
    if settings.SCIWEEK_METRICS_TOKEN:
        given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), settings.SCIWEEK_METRICS_TOKEN.encode()):
            return HttpResponse(status=401)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: each writes its counters to that folder; add them up here.
        from prometheus_client import CollectorRegistry, multiprocess

        from .metrics import JobQueueCollector

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(JobQueueCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
