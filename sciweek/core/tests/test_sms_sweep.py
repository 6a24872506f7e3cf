"""Texts whose job was lost (the process ended between the commit and the job) are sent by the next
job, by `sciweek send_queued_texts` and by the Celery beat task — each exactly once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sciweek.core import sms
from sciweek.core.models import OutboundMessage
from sciweek.core.tasks import sweep_texts

pytestmark = pytest.mark.django_db


class Recorder:
    """A backend that records what it is asked to send."""

    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, *, phone: str, text: str, ref: str) -> None:
        with self.lock:
            self.sent.append(ref)


@pytest.fixture
def backend(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(sms, "get_backend", lambda: recorder)
    return recorder


def message(*, minutes_ago: float, status: str = OutboundMessage.Status.QUEUED) -> OutboundMessage:
    row = OutboundMessage.objects.create(phone="13955700101", text="【科技活动周】测试", status=status)
    OutboundMessage.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return row


def test_the_command_sends_texts_left_queued_and_nothing_else(backend, capsys):
    lost = message(minutes_ago=30)
    fresh = message(minutes_ago=1)  # its own job may still be on its way
    sending = message(minutes_ago=30, status=OutboundMessage.Status.SENDING)  # may have reached the gateway
    failed = message(minutes_ago=30, status=OutboundMessage.Status.FAILED)  # staff resend it

    call_command("send_queued_texts")
    assert "补发短信：成功 1 条，失败 0 条。" in capsys.readouterr().out
    assert backend.sent == [str(lost.pk)]
    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "sent", fresh.pk: "queued", sending.pk: "sending", failed.pk: "failed"}

    call_command("send_queued_texts")  # nothing twice
    assert backend.sent == [str(lost.pk)]


def test_the_next_text_job_sends_the_lost_ones_too(backend):
    lost = message(minutes_ago=15)
    new = message(minutes_ago=0)
    result = sms.sms_send_job(type("Ctx", (), {"params": {"ids": [new.pk]}, "progress": None})())
    assert result == {"sent": 2, "failed": 0}
    assert sorted(backend.sent) == sorted([str(new.pk), str(lost.pk)])


def test_the_beat_task_is_scheduled_and_sends(backend, settings):
    assert settings.CELERY_BEAT_SCHEDULE["sweep-texts"]["task"] == "sciweek.sweep_texts"
    lost = message(minutes_ago=11)
    assert sweep_texts() == {"sent": 1, "failed": 0}
    assert backend.sent == [str(lost.pk)]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_text_once(backend):
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL only")
    lost = [message(minutes_ago=20).pk for _ in range(30)]
    barrier = threading.Barrier(2)

    def sweep() -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            sms.sms_sweep()
        finally:
            own.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert sorted(backend.sent, key=int) == [str(pk) for pk in lost]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}
