"""The public registers, sees its QR ticket, cancels; walk-ins check themselves in from the poster."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sciweek.core.forms import attach_errors
from sciweek.core.middleware import client_ip
from sciweek.core.ratelimit import rate_limit_hit

from ..access import public_event
from ..checkin import checkin_walkin
from ..forms import RegistrationForm, WalkinForm
from ..models import CheckIn, Event, Registration
from ..qr import qr_svg
from ..registration import (
    EventFull,
    places,
    registration_cancel,
    registration_create,
    registration_from_token,
)
from ..selectors import shown_event
from ..ticket_tokens import ticket_token as make_token

# The tickets registered from this browser, as a signed cookie of registration ids: the public never
# needs a server-side session (nothing to store per visitor, nothing to write per registration).
TICKETS_COOKIE = "sw_tickets"
TICKETS_SALT = "sciweek.events.mine"
TICKETS_MAX_AGE = 90 * 86400


def _too_many(request: HttpRequest, window: int) -> HttpResponse:
    minutes = max(1, window // 60)
    return render(request, "events/too_many.html", {"minutes": minutes}, status=429)


def _my_ticket_ids(request: HttpRequest) -> list[int]:
    raw = (
        request.get_signed_cookie(TICKETS_COOKIE, default="", salt=TICKETS_SALT, max_age=TICKETS_MAX_AGE)
        or ""
    )
    return [int(x) for x in raw.split(",") if x.isdigit()][-20:]


def _remember(request: HttpRequest, response: HttpResponse, registration: Registration) -> HttpResponse:
    ids = [i for i in _my_ticket_ids(request) if i != registration.pk][-19:] + [registration.pk]
    response.set_signed_cookie(
        TICKETS_COOKIE,
        ",".join(map(str, ids)),
        salt=TICKETS_SALT,
        max_age=TICKETS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def _remember_many(request: HttpRequest, response: HttpResponse, found: list[Registration]) -> HttpResponse:
    """Add registrations found again (找回我的报名) to this browser's list."""
    new = [r.pk for r in reversed(found)]
    ids = [i for i in _my_ticket_ids(request) if i not in new] + new
    response.set_signed_cookie(
        TICKETS_COOKIE,
        ",".join(map(str, ids[-20:])),
        salt=TICKETS_SALT,
        max_age=TICKETS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def _open_or_cancelled(event_id: int) -> Event:
    try:
        return public_event(event_id, light=True)
    except Http404:
        event = shown_event(event_id)  # published once, then cancelled: not a 404
        if event.status != Event.Status.CANCELLED:
            raise
        return event


def _cancelled_page(request: HttpRequest, event: Event) -> HttpResponse:
    if event.status != Event.Status.CANCELLED:
        raise Http404(_("活动不存在或尚未发布"))
    message = "活动已取消，不再接受报名。" + (
        f"取消原因：{event.cancel_reason}" if event.cancel_reason else ""
    )
    return render(request, "events/register_full.html", {"event": event, "message": message})


@never_cache
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    full = False
    if request.method == "POST":
        over, window = rate_limit_hit(
            scope="register",
            key=client_ip(request) or "unknown",
            setting="SCIWEEK_REGISTRATION_RATE",
            default=(20, 600),
        )
        if over:
            return _too_many(request, window)
        if form.is_valid():
            d = form.cleaned_data
            try:
                # The busy path reads the event once, inside the service's transaction.
                registration = registration_create(
                    event=Event(pk=event_id), name=d["name"], phone=d["phone"], party_size=d["party_size"]
                )
            except Event.DoesNotExist:
                return _cancelled_page(request, _open_or_cancelled(event_id))  # or 404
            except EventFull as exc:
                if exc.event is not None and not exc.left:
                    # Nothing left to try (no place, no waiting-list place): a short page, no form.
                    return render(
                        request, "events/register_full.html", {"event": exc.event, "message": exc.message}
                    )
                full = True
                form.add_error(None, exc.messages)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return _remember(
                    request, redirect("events:ticket", token=make_token(registration)), registration
                )
    event = _open_or_cancelled(event_id)
    if event.status == Event.Status.CANCELLED:  # a shared registration link still says what happened
        return _cancelled_page(request, event)
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "places": places(event),
            "open": event.registration_open(),
            "full": full,
        },
    )


def _ticket_or_404(token: str) -> Registration:
    registration = registration_from_token(token)
    if registration is None:
        raise Http404(_("票码无效：链接不完整或已被修改，请使用报名成功后的原始链接。"))
    return registration


@never_cache
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket_or_404(token)
    event = registration.event
    checkin = CheckIn.objects.filter(registration=registration).first()
    return render(
        request,
        "events/ticket.html",
        {
            "r": registration,
            "event": event,
            "token": token,
            "checkin": checkin,
            "qr": qr_svg(token, label="入场票二维码")
            if registration.status == Registration.Status.CONFIRMED
            else "",
            "ticket_url": request.build_absolute_uri(reverse("events:ticket", args=[token])),
            "waiting_ahead": event.registrations.filter(
                status=Registration.Status.WAITLISTED, created_at__lt=registration.created_at
            ).count(),
        },
    )


@never_cache
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket_or_404(token)
    if request.method == "POST":
        try:
            registration_cancel(registration=registration)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("报名已取消，名额已让给其他人。感谢您的配合！"))
        return redirect("events:ticket", token=token)
    return render(
        request, "events/cancel.html", {"r": registration, "event": registration.event, "token": token}
    )


@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """Tickets registered from this browser (a lost ticket link is found again here)."""
    ids = _my_ticket_ids(request)
    regs = list(Registration.objects.filter(pk__in=ids).select_related("event").order_by("-created_at"))
    return render(request, "events/mine.html", {"rows": [(r, make_token(r)) for r in regs]})


@never_cache
def walkin(request: HttpRequest, event_id: int, key: str) -> HttpResponse:
    event = public_event(event_id)
    if not secrets.compare_digest(key, event.poster_key):
        raise Http404(_("签到链接无效，请扫描现场海报上的二维码。"))
    form = WalkinForm(request.POST or None)
    outcome = None
    if request.method == "POST":
        over, window = rate_limit_hit(
            scope="walkin",
            key=client_ip(request) or "unknown",
            setting="SCIWEEK_WALKIN_RATE",
            default=(30, 600),
        )
        if over:
            return _too_many(request, window)
        if form.is_valid():
            d = form.cleaned_data
            try:
                outcome = checkin_walkin(
                    event=event, name=d["name"], phone=d["phone"], party_size=d["party_size"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
    return render(request, "events/walkin.html", {"event": event, "form": form, "outcome": outcome})
