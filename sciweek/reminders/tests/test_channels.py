"""Real channels: a real SMTP server (aiosmtpd) in the test receives the e-mail; a local HTTP server
standing in for the SMS gateway receives the texts. Also a crash half-way and a restart."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail

from sciweek.core.models import Notification, OutboundMessage
from sciweek.reminders import sending
from sciweek.reminders.models import Occurrence

from .conftest import at

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.messages.append({"to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")})
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as s:  # a free port (aiosmtpd's controller cannot be given port 0)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


@pytest.fixture
def gateway(settings):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(body)
            self.send_response(500 if body["phone"].endswith("2") else 200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SCIWEEK_SMS_BACKEND = "http"
    settings.SCIWEEK_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SCIWEEK_SMS_KEY = "k"
    settings.SCIWEEK_JOBS_SYNC = True
    yield received
    server.shutdown()
    server.server_close()


def test_a_real_smtp_server_and_sms_gateway_receive_the_reminders(final_report, reachable, smtp, gateway):
    sending.tick(at=at("2023-05-29 17:31"))
    mails = [m for m in smtp.messages if m["to"] == ["qxj@example.cn"]]
    assert mails and any("=?utf-8?" in m["data"] or "5月30日17:30" in m["data"] for m in mails)
    texts = [t for t in gateway if t["phone"] == "13800000001"]
    assert any(
        "5月30日17:30" in t["text"] and t["text"].startswith("【") and "http" in t["text"] for t in texts
    )
    # The gateway refused town1's texts: failed, with the reason, visible on the occurrence's message.
    failed = OutboundMessage.objects.filter(phone="13800000002", status="failed")
    assert failed.exists() and "500" in failed.first().error
    row = Occurrence.objects.filter(user=reachable[1], channel="sms").first()
    assert row.message.status == "failed"
    # A second run for the same moment sends nothing.
    n_mail, n_sms = len(smtp.messages), len(gateway)
    sending.tick(at=at("2023-05-29 17:31"))
    assert (len(smtp.messages), len(gateway)) == (n_mail, n_sms)


def test_a_crash_while_claiming_sends_nothing_then_a_restart_sends_once(final_report, reachable, monkeypatch):
    real = sending.insert_rows

    def boom(*a, **k):
        raise RuntimeError("process killed")

    monkeypatch.setattr(sending, "insert_rows", boom)
    with pytest.raises(RuntimeError):
        sending.tick(at=at("2023-05-29 17:31"))
    assert not Occurrence.objects.exists() and not Notification.objects.filter(user=reachable[0]).exists()
    monkeypatch.setattr(sending, "insert_rows", real)
    sending.tick(at=at("2023-05-29 17:31"))
    sending.tick(at=at("2023-05-29 17:31"))
    notes = Notification.objects.filter(user=reachable[0], title__contains="总结")
    assert notes.count() == 1


def test_a_crash_while_sending_never_sends_again_by_itself(final_report, reachable, monkeypatch):
    django_mail.outbox = []

    def killed(self, *a, **k):
        raise SystemExit("worker killed mid-send")

    monkeypatch.setattr(sending.EmailMessage, "send", killed)
    with pytest.raises(SystemExit):
        sending.tick(at=at("2023-05-29 17:31"))
    monkeypatch.undo()
    taken = Occurrence.objects.filter(status="sending")
    assert taken.count() > 1  # the crashed delivery had taken its whole batch
    import datetime as dt

    from django.utils import timezone

    taken.update(claimed_at=timezone.now() - dt.timedelta(minutes=6))  # the restart, some minutes later
    sending.tick(at=at("2023-05-29 17:40"))
    stuck = Occurrence.objects.filter(status="sending")
    assert stuck.count() == 1  # the one tried: left for the organizer (it may have gone out)
    one = stuck.first()
    assert not [m for m in django_mail.outbox if m.to == [one.address] and m.subject == one.subject]
    # The untried ones went back to the queue and were sent (or capped) by the tick after the restart.
    assert not Occurrence.objects.filter(status="pending", send_after__lte=at("2023-05-29 17:40")).exists()
    assert Occurrence.objects.filter(channel="email", status="sent").exists()
