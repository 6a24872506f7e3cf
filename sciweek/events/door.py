"""The door pass: the staff phone on the check-in page sends its scans without per-scan session work.

Every scan used to load the session, the user, the profile and the memberships and check the event's
scope again: more work than the check-in itself, on the one endpoint a queue at the door hits
hundreds of times a minute. Instead, opening the check-in page and each refresh of its live counter
(every 5 s; both logged in, and both checking that the user may run the event) set a signed cookie
valid for PASS_SECONDS, sent only to that event's check-in URLs (its path). The scan endpoint takes
it in place of the session:

- authorised: issued only after the full check, and renewed only while that check keeps passing;
  logged out, deactivated, or no longer staff of the event, the pass lapses within PASS_SECONDS;
- scoped: it names one event (and the cookie's path keeps it off every other URL);
- bound to the session cookie it was issued with (a copied pass alone is refused);
- audited: every check-in still records the user who made it.

Without a valid pass (an expired one after a long time offline, say) the endpoint checks the session
and the scope exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac

from sciweek.campaigns.lifecycle import is_open
from sciweek.core.statements import loaded
from sciweek.orgs.models import OrgUnit

from .models import Event

PASS_SECONDS = 120
SALT = "sciweek.events.door"


@dataclass(frozen=True)
class DoorPass:
    event_id: int
    user_id: int
    username: str
    unit_id: int
    unit_path: str

    @property
    def actor(self) -> Any:
        """The user the pass was issued to (not loaded: what the check-in and its audit row need)."""
        return loaded(get_user_model(), id=self.user_id, username=self.username)

    @property
    def event(self) -> Event:
        """The event (not loaded: its id and its unit's path are what a scan needs)."""
        event = loaded(Event, id=self.event_id, unit_id=self.unit_id)
        event.unit = loaded(OrgUnit, id=self.unit_id, path=self.unit_path)
        return event


def _cookie(event_id: int) -> str:
    return f"sw_door_{event_id}"


def _session_tag(request: HttpRequest) -> str:
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return salted_hmac(SALT, key).hexdigest()[:16] if key else ""


def issue_pass(response: HttpResponse, *, request: HttpRequest, event: Event) -> HttpResponse:
    """Set (or renew) the pass; call only after checking that request.user may run `event`."""
    tag = _session_tag(request)
    if not tag or not is_open(event.campaign, "checkin"):  # no session, or check-in closed (lifecycle.py)
        return response
    user = request.user
    value = signing.dumps(
        [event.pk, user.pk, user.get_username(), event.unit_id, event.unit.path, tag], salt=SALT
    )
    response.set_cookie(
        _cookie(event.pk),
        value,
        max_age=PASS_SECONDS,
        path=reverse("events:checkin", args=[event.pk]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


def read_pass(request: HttpRequest, event_id: int) -> DoorPass | None:
    """The pass for `event_id` the request carries, if it is genuine, current and this session's."""
    raw = request.COOKIES.get(_cookie(event_id))
    if not raw:
        return None
    try:
        pk, user_id, username, unit_id, unit_path, tag = signing.loads(raw, salt=SALT, max_age=PASS_SECONDS)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if pk != event_id or not tag or tag != _session_tag(request):
        return None
    return DoorPass(int(pk), int(user_id), str(username), int(unit_id), str(unit_path))
