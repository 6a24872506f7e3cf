"""Text messages to registrants: moved up from the waiting list, time or place changed (cancellation in
test_cancel.py). Queued in the write's transaction, sent by a job only after it commits, through the
configured backend — here also a real HTTP gateway on a local port — and listed for the event's staff."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from sciweek.core.models import AuditEvent, OutboundMessage
from sciweek.core.sms import HttpGatewayBackend, SmsError
from sciweek.events.registration import (
    registration_cancel,
    registration_create,
    registration_from_token,
)
from sciweek.events.services import event_update
from sciweek.events.ticket_tokens import ticket_token

from .helpers import at

pytestmark = pytest.mark.django_db


class Gateway:
    """A real HTTP server standing in for an operator's SMS gateway: records what it is sent."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.answer = b'{"ok": true}'
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append(
                    {"auth": self.headers.get("Authorization"), "body": json.loads(body), "path": self.path}
                )
                time.sleep(gateway.delay)
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(gateway.answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    g = Gateway()
    settings.SCIWEEK_SMS_BACKEND = "http"
    settings.SCIWEEK_SMS_URL = g.url
    settings.SCIWEEK_SMS_KEY = "test-key-123"
    settings.SCIWEEK_SMS_TIMEOUT = 2
    yield g
    g.close()


@pytest.fixture
def waiting(published_event):
    """One place, taken by 甲; 乙 waits."""
    event = published_event(registration_enabled=True, capacity=1, waitlist_limit=2)
    first = registration_create(event=event, name="甲", phone="13900000001")
    second = registration_create(event=event, name="乙", phone="13900000002")
    assert second.status == "waitlisted"
    return event, first, second


def test_it_texts_the_registrant_who_moves_up_only_after_the_commit(
    waiting, gateway, django_capture_on_commit_callbacks
):
    event, first, second = waiting
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        promoted = registration_cancel(registration=first)
    assert [r.pk for r in promoted] == [second.pk]
    message = OutboundMessage.objects.get()
    # Stored with the write, not sent: the gateway has heard nothing while the transaction was open.
    assert message.status == "queued" and gateway.requests == []
    assert (message.phone, message.kind, message.event_id, message.registration_id) == (
        "13900000002",
        "promoted",
        event.pk,
        second.pk,
    )
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None and message.backend == "http"
    assert len(gateway.requests) == 1
    sent = gateway.requests[0]
    assert sent["auth"] == "Bearer test-key-123"
    assert sent["body"]["phone"] == "13900000002" and sent["body"]["id"] == str(message.pk)
    text = sent["body"]["text"]
    assert text.startswith("【科技活动周】您报名的「走进气象观测站」已由候补转为正式报名，时间")
    assert "地点县气象局观测场 气象路1号" in text
    token = re.search(r"/events/ticket/([^/]+)/", text)[1]
    assert registration_from_token(token) == second  # the link in the text is the person's own ticket


def test_a_rolled_back_write_sends_nothing(waiting, gateway, django_capture_on_commit_callbacks):
    _event, first, _second = waiting
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        registration_cancel(registration=first)
        raise RuntimeError("something later in the same request failed")
    assert not OutboundMessage.objects.exists() and gateway.requests == []


def test_a_gateway_that_fails_leaves_the_reason_and_staff_can_send_again(
    waiting, gateway, qxj, client_for, django_capture_on_commit_callbacks
):
    event, first, _second = waiting
    gateway.status, gateway.answer = 503, "网关繁忙".encode()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    message = OutboundMessage.objects.get()
    assert message.status == "failed" and "503" in message.error and "网关繁忙" in message.error

    gateway.status, gateway.answer = 200, b'{"ok": false, "error": "insufficient balance"}'
    c = client_for(qxj)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/manage/events/{event.pk}/messages/retry/", {"ids": [message.pk]})
    assert r.status_code == 302
    message.refresh_from_db()
    assert message.status == "failed" and "insufficient balance" in message.error and message.attempts == 2

    gateway.answer = b'{"ok": true}'
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/manage/events/{event.pk}/messages/retry/")  # every failed one
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3 and len(gateway.requests) == 3
    assert AuditEvent.objects.filter(action="sms.retry", unit_path=event.unit.path).count() == 2
    # Sent once is sent: asking again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/manage/events/{event.pk}/messages/retry/", {"ids": [message.pk]})
    assert len(gateway.requests) == 3


def test_a_slow_gateway_times_out_without_touching_the_registration(gateway):
    gateway.delay = 1.5
    backend = HttpGatewayBackend(url=gateway.url, key="k", timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SmsError, match="无法连接短信网关"):
        backend.send(phone="13900000001", text="测试", ref="1")
    assert time.monotonic() - started < 1.2
    with pytest.raises(SmsError, match="未配置短信网关地址"):
        HttpGatewayBackend(url="", key="k").send(phone="13900000001", text="测试", ref="1")


def test_the_default_backend_only_keeps_the_message(waiting, settings, django_capture_on_commit_callbacks):
    assert settings.SCIWEEK_SMS_BACKEND == "log"  # no SCIWEEK_SMS_URL in the test environment
    _event, first, _second = waiting
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    message = OutboundMessage.objects.get()
    assert (message.status, message.backend) == ("sent", "log")


def test_registrants_hear_when_the_time_or_place_changes_not_the_title(
    waiting, organizer, django_capture_on_commit_callbacks
):
    event, first, second = waiting
    with django_capture_on_commit_callbacks(execute=True):
        event = event_update(
            actor=organizer, event=event, version=event.version, title="走进气象观测站（新）"
        )
    assert not OutboundMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(
            actor=organizer,
            event=event,
            version=event.version,
            venue="县气象局二楼报告厅",
            starts_at=at(3, "14:00"),
            ends_at=at(3, "16:00"),
        )
    sent = OutboundMessage.objects.filter(kind="event_changed")
    assert sorted(sent.values_list("phone", flat=True)) == ["13900000001", "13900000002"]
    text = sent.get(phone="13900000001").text
    assert "时间、地点有变更" in text and "县气象局二楼报告厅" in text and "14:00–16:00" in text
    token = re.search(r"/events/ticket/([^/]+)/", text)[1]
    assert registration_from_token(token) == first


def test_the_ticket_page_says_the_registration_moved_up(waiting, client):
    _event, first, second = waiting
    registration_cancel(registration=first)
    body = client.get(f"/events/ticket/{ticket_token(second)}/").content.decode()
    assert 'id="ticket-status">报名成功<' in body and 'id="ticket-promoted"' in body
    assert "已从候补转为正式报名" in body


def test_the_event_staff_see_the_log_with_masked_phones_and_no_ticket_links(
    waiting, qxj, town1, organizer, client_for, django_capture_on_commit_callbacks
):
    event, first, second = waiting
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    token = ticket_token(second)
    for user in (qxj, organizer):
        r = client_for(user).get(f"/manage/events/{event.pk}/messages/")
        body = r.content.decode()
        assert r.status_code == 200 and "139****0002" in body and "13900000002" not in body
        assert "已由候补转为正式报名" in body and "候补转正" in body and token not in body
    assert client_for(town1).get(f"/manage/events/{event.pk}/messages/").status_code == 404
    assert client_for(town1).post(f"/manage/events/{event.pk}/messages/retry/").status_code == 404
