"""/healthz, /readyz and /metrics for the load balancer and Prometheus; Django's admin off by default;
a working-day session."""

from __future__ import annotations

import importlib
import json
import logging

import pytest
from django.test import Client
from django.urls import clear_url_caches

from sciweek.core import health, metrics
from sciweek.core.models import Job

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        r = Client().get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_checks_database_migrations_and_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/7",
        }
    }
    health._migrated = False
    r = Client().get("/readyz")
    assert r.status_code == 200, r.content
    checks = r.json()["checks"]
    assert set(checks) == {"database", "migrations", "redis"}
    assert all(v.startswith("ok") for v in checks.values())


def test_readyz_says_503_when_the_broker_is_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    r = Client().get("/readyz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "fail" and body["checks"]["broker"].startswith("fail")
    assert body["checks"]["database"].startswith("ok")


def test_readyz_says_503_while_a_migration_is_missing(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    health._migrated = False
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    r = Client().get("/readyz")
    assert r.status_code == 503 and "not applied" in r.json()["checks"]["migrations"]
    health._migrated = False


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith((name + "{", name + " ")) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_show_latency_by_view_login_failures_jobs_and_reminders(demo, qxj):
    before = Client().get("/metrics").content.decode()
    Client().get("/")
    Client().post("/accounts/login/", {"username": "sx-qxj", "password": "wrong-password-1"})
    metrics.REMINDERS_SENT.labels(channel="sms").inc(3)
    Job.objects.create(kind="reports.export_matrix", owner=qxj, params={})
    r = Client().get("/metrics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    text = r.content.decode()
    assert _sample(text, "sciweek_request_seconds_count", view="portal:home", method="GET") >= 1
    assert (
        _sample(text, "sciweek_login_failures_total") == _sample(before, "sciweek_login_failures_total") + 1
    )
    assert _sample(text, "sciweek_reminders_sent_total", channel="sms") >= 3
    assert _sample(text, "sciweek_job_queue_length", status="queued") == 1
    assert _sample(text, "sciweek_job_queue_oldest_seconds") >= 0
    assert "/accounts/login/" not in text  # views by name, never raw paths


def test_metrics_can_ask_for_a_token(settings):
    settings.SCIWEEK_METRICS_TOKEN = "s3cret"
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def test_json_logs_are_one_object_per_line():
    from sciweek.core.logjson import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "sciweek.x", "levelname": "WARNING", "msg": "导出 %s", "args": ("完成",)}
    )
    record.job_id = 7
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "导出 完成" and data["level"] == "WARNING" and data["job_id"] == 7


@pytest.fixture
def reload_urls():
    from django.conf import settings as live
    from django.test import override_settings

    import sciweek.urls

    original = live.SCIWEEK_ADMIN_PATH

    def reload():
        importlib.reload(sciweek.urls)
        clear_url_caches()

    yield reload
    with override_settings(SCIWEEK_ADMIN_PATH=original):  # not mounted again for the next tests
        reload()


def test_djangos_admin_is_mounted_only_when_enabled_at_its_own_path(settings, reload_urls):
    settings.SCIWEEK_ADMIN_PATH = ""
    reload_urls()
    assert Client().get("/django-admin/").status_code == 404
    assert Client().get("/admin/").status_code == 404
    settings.SCIWEEK_ADMIN_PATH = "ops-7f3k"
    reload_urls()
    r = Client().get("/ops-7f3k/")
    assert r.status_code == 302 and "/ops-7f3k/login/" in r["Location"]


def test_a_session_lasts_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
