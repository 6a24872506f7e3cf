"""Prometheus metrics: named instruments any package may use, and the /metrics page's registry.

Other code counts through the names here, e.g. ``metrics.REMINDERS_SENT.labels(channel="sms").inc()``
(the reminder engine) or ``metrics.LOGIN_FAILURES.inc()`` (accounts/throttle.py). Request latency is
observed by :class:`MetricsMiddleware` per view name; the job queue is read from the database when
scraped, so every instance reports the same queue. Each gunicorn instance is scraped on its own (the
counters are per process; with several workers per instance set PROMETHEUS_MULTIPROC_DIR, see README).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_LATENCY = Histogram(
    "sciweek_request_seconds",
    "Time to answer a request, by view and method",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = Counter("sciweek_requests", "Requests answered, by view and status class", ["view", "status"])
LOGIN_FAILURES = Counter("sciweek_login_failures", "Failed logins (wrong username or password)")
REMINDERS_SENT = Counter("sciweek_reminders_sent", "Reminders sent, by channel", ["channel"])
JOBS_FINISHED = Counter(
    "sciweek_jobs_finished", "Background jobs finished, by kind and outcome", ["kind", "status"]
)


class JobQueueCollector(Collector):
    """Queued jobs: how many and how long the oldest has waited (read at scrape time)."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Registering asks a collector for its names; without describe() it would call collect(),
        # a database query while Django is still starting.
        yield GaugeMetricFamily("sciweek_job_queue_length", "Jobs queued or running", labels=["status"])
        yield GaugeMetricFamily("sciweek_job_queue_oldest_seconds", "Age of the oldest queued job")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError
        from django.db.models import Count, Min
        from django.utils import timezone

        from .models import Job

        length = GaugeMetricFamily("sciweek_job_queue_length", "Jobs queued or running", labels=["status"])
        age = GaugeMetricFamily("sciweek_job_queue_oldest_seconds", "Age of the oldest queued job")
        try:
            rows = (
                Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
                .values("status")
                .annotate(n=Count("id"), oldest=Min("created_at"))
            )
            by_status: dict[str, Any] = {r["status"]: r for r in rows}
        except DatabaseError:
            return
        for status in (Job.Status.QUEUED, Job.Status.RUNNING):
            length.add_metric([status], by_status.get(status, {}).get("n", 0))
        oldest = by_status.get(Job.Status.QUEUED, {}).get("oldest")
        age.add_metric(
            [], (timezone.now() - oldest).total_seconds() if oldest else 0.0
        )  # jobs keep real time
        yield length
        yield age


_collector = JobQueueCollector()
REGISTRY.register(_collector)


class MetricsMiddleware:
    """Observes each request's latency under its view's name (the URL name, never the raw path)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "<unresolved>"
        REQUEST_LATENCY.labels(view, request.method or "").observe(time.perf_counter() - started)
        REQUESTS.labels(view, f"{response.status_code // 100}xx").inc()
        return response
