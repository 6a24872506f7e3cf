"""Outbound text messages (SMS) to the public, through a pluggable backend, never in the request.

- `sms_queue(messages=[...])` stores each message as an `OutboundMessage` (queued) inside the
  caller's transaction; once that transaction commits, one background job (core/jobs.py) sends
  them. A rolled-back write sends nothing; a slow or broken gateway never holds up a registration.
- The backend is chosen by the setting SCIWEEK_SMS_BACKEND:
  - ``log`` (default): keeps the message and writes it to the log only — an intranet with no SMS
    gateway still has every text, with its status, on the event's message page;
  - ``http``: POSTs ``{"id", "phone", "text"}`` as JSON to SCIWEEK_SMS_URL with
    ``Authorization: Bearer SCIWEEK_SMS_KEY`` (SCIWEEK_SMS_TIMEOUT seconds); any 2xx answer whose
    JSON does not say ``"ok": false`` counts as sent. ``id`` lets the gateway drop a repeat;
  - a dotted path to a class with ``name`` and ``send(*, phone, text, ref)``.
- A message is claimed (queued → sending) by a conditional UPDATE before it is sent, so a job run
  twice sends it once. Failures keep the gateway's reason; staff may queue them again (`sms_retry`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .jobs import JobContext, job_start, register_job
from .models import OutboundMessage

log = logging.getLogger("sciweek.sms")

SEND_JOB = "core.sms_send"
MAX_TEXT = 500  # characters; a gateway splits long texts into several messages itself


class SmsError(Exception):
    """The gateway refused or did not answer; the message says why (kept on the message)."""


class Backend(Protocol):
    name: str

    def send(self, *, phone: str, text: str, ref: str) -> None: ...


class LogBackend:
    """Keep only: the message stays in the database (status 已发送, backend ``log``) and the log."""

    name = "log"

    def send(self, *, phone: str, text: str, ref: str) -> None:
        log.info("SMS %s to %s: %s", ref, phone[:3] + "****" + phone[-4:], text)


class HttpGatewayBackend:
    """An HTTP SMS gateway (an operator's, or an adapter in front of a cloud SMS service)."""

    name = "http"

    def __init__(self, url: str | None = None, key: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else settings.SCIWEEK_SMS_URL
        self.key = key if key is not None else settings.SCIWEEK_SMS_KEY
        self.timeout = timeout if timeout is not None else settings.SCIWEEK_SMS_TIMEOUT

    def send(self, *, phone: str, text: str, ref: str) -> None:
        if not self.url.lower().startswith(("http://", "https://")):
            raise SmsError(_("未配置短信网关地址（SCIWEEK_SMS_URL）。"))
        body = json.dumps({"id": ref, "phone": phone, "text": text}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.key}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(4096)
        except urllib.error.HTTPError as exc:
            raise SmsError(
                _("短信网关返回错误 %(code)s：%(text)s") % {"code": exc.code, "text": _text(exc.read(500))}
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SmsError(_("无法连接短信网关：%(reason)s") % {"reason": reason}) from exc
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            return  # a 2xx answer that is not JSON: sent
        if isinstance(data, dict) and data.get("ok") is False:
            raise SmsError(
                _("短信网关拒绝发送：%(value)s")
                % {"value": data.get("error") or data.get("message") or _("未说明原因")}
            )


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip()[:200] or "（无说明）"


BACKENDS = {"log": LogBackend, "http": HttpGatewayBackend}


def get_backend() -> Backend:
    name = getattr(settings, "SCIWEEK_SMS_BACKEND", "log") or "log"
    cls = BACKENDS.get(name) or import_string(name)
    return cls()


@dataclass(frozen=True)
class Outgoing:
    """A message to queue: to whom, what, and what it is about."""

    phone: str
    text: str
    kind: str = ""
    event_id: int | None = None
    registration_id: int | None = None


def sms_queue(*, messages: Sequence[Outgoing]) -> list[OutboundMessage]:
    """Store the messages (queued) in the caller's transaction; send them in one job after it commits."""
    if not messages:
        return []
    rows = OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                phone=m.phone,
                text=m.text[:MAX_TEXT],
                kind=m.kind,
                event_id=m.event_id,
                registration_id=m.registration_id,
            )
            for m in messages
        ]
    )
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _dispatch(ids))
    return rows


def _dispatch(ids: list[int]) -> None:
    # Runs after the commit, outside the request's try: a broker that is down must not turn a
    # registration that was saved into an error page. The messages stay queued; sms_retry sends them.
    try:
        job_start(kind=SEND_JOB, params={"ids": ids}, owner=None)
    except Exception:  # noqa: BLE001 — see above
        log.exception("could not start the SMS job for %d message(s)", len(ids))


def sms_send(*, ids: Iterable[int], progress: Any = None) -> dict[str, int]:
    """Send the queued messages among `ids` (others are skipped: sent already, or being sent)."""
    backend = get_backend()
    ids = list(ids)
    sent = failed = 0
    for done, pk in enumerate(ids, 1):
        claimed = OutboundMessage.objects.filter(pk=pk, status=OutboundMessage.Status.QUEUED).update(
            status=OutboundMessage.Status.SENDING, attempts=F("attempts") + 1, backend=backend.name
        )
        if not claimed:
            continue
        message = OutboundMessage.objects.only("id", "phone", "text").get(pk=pk)
        try:
            backend.send(phone=message.phone, text=message.text, ref=str(message.pk))
        except Exception as exc:  # noqa: BLE001 — any failure is the message's status, not the job's
            if not isinstance(exc, SmsError):
                log.exception("SMS backend %s failed on message %s", backend.name, pk)
            OutboundMessage.objects.filter(pk=pk).update(
                status=OutboundMessage.Status.FAILED, error=str(exc)[:500] or type(exc).__name__
            )
            failed += 1
        else:
            OutboundMessage.objects.filter(pk=pk).update(
                status=OutboundMessage.Status.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
        if progress is not None:
            progress(done, len(ids))
    return {"sent": sent, "failed": failed}


@register_job(SEND_JOB)
def sms_send_job(ctx: JobContext) -> dict[str, int]:
    done = sms_send(ids=ctx.params.get("ids", []), progress=ctx.progress)
    # Whichever job runs next also picks up texts whose own job was lost, so an install without a
    # scheduler loses none for longer than until its next text.
    swept = sms_sweep()
    return {"sent": done["sent"] + swept["sent"], "failed": done["failed"] + swept["failed"]}


# A message not sent this long after it was queued was lost with its process (a restart before the
# job ran, a worker killed mid-send): it may be queued again.
STUCK_AFTER = dt.timedelta(minutes=10)
SWEEP_LIMIT = 500


def sms_sweep(*, now: dt.datetime | None = None, limit: int = SWEEP_LIMIT) -> dict[str, int]:
    """Send the texts still queued STUCK_AFTER after they were stored: their job never ran (the
    process ended between the commit and the job; the broker was down). Only never-claimed texts:
    one left "sending" may have reached the gateway, so staff decide on it (the resend button).
    Claiming is atomic, so a sweep beside a running job sends nothing twice."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    ids = list(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return {"sent": 0, "failed": 0}
    log.warning("sending %d text message(s) whose job was lost", len(ids))
    return sms_send(ids=ids)


def retryable(message: OutboundMessage, now: dt.datetime | None = None) -> bool:
    if message.status == OutboundMessage.Status.FAILED:
        return True
    return (
        message.status != OutboundMessage.Status.SENT
        and message.created_at < (now or timezone.now()) - STUCK_AFTER
    )


def sms_retry(*, actor: Any, messages: Iterable[OutboundMessage], unit_path: str = "") -> int:
    """Queue failed (or lost) messages again; they go out after the caller's transaction commits."""
    from .audit import audit_log

    now = timezone.now()
    ids = [m.pk for m in messages if retryable(m, now)]
    if not ids:
        return 0
    unsent = OutboundMessage.objects.filter(pk__in=ids).exclude(status=OutboundMessage.Status.SENT)
    n = unsent.update(status=OutboundMessage.Status.QUEUED, error="")
    audit_log(
        actor=actor,
        action="sms.retry",
        object_type="core.outboundmessage",
        object_repr=f"{len(ids)}条短信",
        unit_path=unit_path,
        after={"ids": ids},
    )
    transaction.on_commit(lambda: _dispatch(ids))
    return n
