"""The public vote, `POST /api/v1/selections/<id>/votes`: one answer for both ways a vote comes in.

In a 最美 public vote thousands of phones vote at once (the issue asks ≥ 500 votes/s on two cores).
Through the full stack a vote cost about 1.9 ms of CPU, of which the vote itself (``votes_cast``: three
prepared statements) was 0.7 ms; the rest was the page middleware (sessions, CSRF, messages, the CSP
nonce, axes, the life cycle), URL resolution over the whole API and ninja's request handling. None of
that applies to an anonymous JSON vote, so the WSGI handler (``sciweek/wsgi.py``) sends a well-formed
vote down a short lane: the middleware that does apply — metrics, SecurityMiddleware (HTTPS redirect,
headers), the client address and NUL check, the chosen language, X-Frame-Options, the CSP — around
``lane_view``. A body that is not a well-formed vote takes the full stack, which answers the error.

The ninja operation (``api/selections.py`` ``cast``) stays: it documents the endpoint in OpenAPI and
serves it wherever the lane is not in front (Django's test client, another WSGI server set-up). Both
call ``cast_vote``, so they cannot disagree; ``tests/test_vote_lane.py`` sends the same requests both
ways and compares the answers.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.translation import gettext as _
from ninja import Field
from pydantic import ValidationError as SchemaError

from sciweek.core.csp import ContentSecurityPolicyMiddleware
from sciweek.core.locale import ChosenLanguageMiddleware
from sciweek.core.metrics import MetricsMiddleware
from sciweek.core.middleware import RequestContextMiddleware, client_ip
from sciweek.core.ratelimit import rate_limit_hit
from sciweek.selections.services.voting import VoteRefused, vote_selection, votes_cast

from .common import InSchema

VOTE_PATH = re.compile(r"/api/v1/selections/(\d{1,18})/votes")
VIEW_NAME = "api-v1:cast"  # the ninja operation's URL name: both ways count under one name in /metrics


class VoteIn(InSchema):
    phone: str = Field(..., max_length=20)
    code: str = Field(..., max_length=10)
    candidate_ids: list[int] = Field(..., max_length=100)


def cast_vote(request: HttpRequest, selection_id: int, payload: VoteIn) -> tuple[int, dict[str, Any]]:
    """Count one verified voter's votes: (status, body) with 201, 400, 404, 409 or 429."""
    selection = vote_selection(selection_id)  # one prepared statement
    if selection is None:
        return 404, {"detail": _("评选不存在")}
    ip = client_ip(request)
    over, _window = rate_limit_hit(
        scope="vote", key=ip or "unknown", setting="SCIWEEK_VOTE_RATE", default=(600, 60)
    )
    if over:
        return 429, {"detail": _("投票过于频繁，请稍后再试。")}
    try:
        result = votes_cast(
            selection=selection,
            phone=payload.phone,
            code=payload.code,
            candidate_ids=payload.candidate_ids,
            ip=ip,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except VoteRefused as exc:
        return 409, {"detail": exc.text}
    except ValidationError as exc:  # the same shape as the API's handler (api/urls.py)
        return 400, {"detail": exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}}
    return 201, {"counted": result.counted}


def lane_payload(request: HttpRequest) -> tuple[int, VoteIn] | None:
    """(selection id, vote) when the request is a well-formed vote for the lane; None sends it to the
    full stack (another path or method, a body too big, not JSON, not a valid vote)."""
    if request.method != "POST" or not (match := VOTE_PATH.fullmatch(request.path_info)):
        return None
    try:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            return None
        return int(match[1]), VoteIn.model_validate(data)
    # JSONDecodeError and UnicodeError are ValueErrors; InSchema refuses a NUL with Django's ValidationError
    except (RequestDataTooBig, ValueError, SchemaError, ValidationError):
        return None


def lane_view(request: HttpRequest) -> HttpResponse:
    request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it on the full stack (400 otherwise)
    selection_id, payload = request.vote_lane  # type: ignore[attr-defined]
    status, body = cast_vote(request, selection_id, payload)
    # ninja's renderer writes the same bytes under the same type (tests/test_vote_lane compares them);
    # the length as CommonMiddleware sets it, or gunicorn would answer in chunks
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")
    response["Content-Length"] = str(len(response.content))
    return response


# The full stack's middleware that applies to an anonymous JSON call, in the same order (settings).
_LANE_MIDDLEWARE = (
    MetricsMiddleware,
    SecurityMiddleware,
    RequestContextMiddleware,
    ChosenLanguageMiddleware,
    XFrameOptionsMiddleware,
    ContentSecurityPolicyMiddleware,
)


def lane_chain() -> Any:
    """The lane's handler, wrapped as Django wraps its own chain (an exception becomes its response)."""
    handler: Any = convert_exception_to_response(lane_view)
    for middleware in reversed(_LANE_MIDDLEWARE):
        handler = convert_exception_to_response(middleware(handler))
    return handler


# What MetricsMiddleware reads of a resolved request: the lane resolves nothing.
LANE_MATCH = SimpleNamespace(view_name=VIEW_NAME)
