"""The vote's short lane (api/vote_lane.py, sciweek/wsgi.py) answers exactly as the full stack does.

Each case is sent twice in the same state, by two voters: once to the WSGI application as gunicorn
runs it (a well-formed vote takes the lane) and once through Django's test client (the full stack and
the ninja operation). Status, body and the security headers must match.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory

from sciweek.selections.models import Vote

from .factory import last_code, make_selection, shortlist

pytestmark = pytest.mark.django_db(transaction=True)

SAME_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Content-Language",
    "Vary",
)


@pytest.fixture
def voting(demo, organizer, unit, settings):
    settings.SCIWEEK_VOTE_CAPTCHA_AFTER = "1000/3600"
    selection = make_selection(organizer, demo.campaign, vote=True)
    return selection, shortlist(selection, unit("县科协"), ["李华", "王芳", "赵强"])


def _wsgi(body: bytes | str, path: str, *, cookies: dict[str, str] | None = None, host: str = "127.0.0.1"):
    """One request to the WSGI application gunicorn serves: (status, headers, body)."""
    from sciweek.wsgi import application

    factory = RequestFactory(HTTP_HOST=host)
    for name, value in (cookies or {}).items():
        factory.cookies[name] = value
    environ = factory.generic("POST", path, body, content_type="application/json").environ
    seen: dict = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(application(environ, start_response))
    return seen["status"], seen["headers"], content


def _code(selection, phone: str) -> str:
    r = Client().post(
        f"/api/v1/selections/{selection.pk}/vote-codes",
        json.dumps({"phone": phone}),
        content_type="application/json",
        REMOTE_ADDR="10.9.8.7",
    )
    assert r.status_code == 202, r.content
    return last_code(phone)


def _both(make_body, path: str, *, cookies: dict[str, str] | None = None):
    """Send the case by voter A to the lane and by voter B through the full stack."""
    lane = _wsgi(make_body("A"), path, cookies=cookies)
    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    r = client.post(path, make_body("B"), content_type="application/json")
    return lane, (r.status_code, dict(r.headers), r.content)


def _same(lane, full) -> None:
    assert lane[0] == full[0], (lane, full)
    assert json.loads(lane[2]) == json.loads(full[2]), (lane[2].decode(), full[2].decode())
    for name in SAME_HEADERS:
        assert lane[1].get(name) == full[1].get(name), name


def test_the_lane_and_the_full_stack_give_the_same_answers(voting):
    selection, (li, wang, zhao) = voting
    phones = {"A": "13800000001", "B": "13800000002"}
    codes = {k: _code(selection, p) for k, p in phones.items()}
    path = f"/api/v1/selections/{selection.pk}/votes"

    def vote(ids, code=None, phone=None):
        return lambda who: json.dumps(
            {"phone": phone or phones[who], "code": code or codes[who], "candidate_ids": ids}
        )

    cases = [
        ("a vote", vote([li.pk, wang.pk]), 201),
        ("the same again today", vote([li.pk]), 409),
        ("a wrong code", vote([zhao.pk], code="000000"), 400),
        ("a candidate of no selection", vote([999999]), 400),
        ("a malformed number", vote([zhao.pk], phone="1380000"), 400),
        ("no candidates", vote([]), 400),
        ("not JSON", lambda who: "{", 400),
        ("a list, not an object", lambda who: "[]", 400),
        ("a field missing", lambda who: json.dumps({"phone": phones[who]}), 400),
        ("a NUL in the code", vote([zhao.pk], code="12\x0034"), 400),
    ]
    for name, body, status in cases:
        lane, full = _both(body, path)
        assert lane[0] == status, (name, lane)
        _same(lane, full)
    lane, full = _both(vote([li.pk]), "/api/v1/selections/999999/votes")
    assert lane[0] == 404
    _same(lane, full)
    # English for those who chose it, on both ways
    lane, full = _both(vote([li.pk]), path, cookies={"django_language": "en"})
    assert lane[0] == 409 and "today" in json.loads(lane[2])["detail"]
    _same(lane, full)
    assert Vote.objects.filter(selection=selection).count() == 4  # two each, once


def test_a_well_formed_vote_skips_the_page_middleware(voting, monkeypatch):
    """Sessions (like CSRF, messages, axes, the life cycle) never run for a lane vote: were they run,
    this broken session middleware would answer 500."""
    selection, (li, _w, _z) = voting
    code = _code(selection, "13800000003")

    def broken(self, request):
        raise RuntimeError("the session middleware ran")

    monkeypatch.setattr(SessionMiddleware, "process_request", broken)
    body = json.dumps({"phone": "13800000003", "code": code, "candidate_ids": [li.pk]})
    status, headers, content = _wsgi(body, f"/api/v1/selections/{selection.pk}/votes")
    assert status == 201 and json.loads(content) == {"counted": [li.pk]}
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_lane_refuses_an_unknown_host_and_counts_its_votes_in_metrics(voting):
    from sciweek.core.metrics import REQUESTS

    selection, (li, _w, _z) = voting
    code = _code(selection, "13800000004")
    body = json.dumps({"phone": "13800000004", "code": code, "candidate_ids": [li.pk]})
    path = f"/api/v1/selections/{selection.pk}/votes"
    status, _h, _c = _wsgi(body, path, host="evil.example")
    assert status == 400 and not Vote.objects.exists()
    before = REQUESTS.labels("api-v1:cast", "2xx")._value.get()
    assert _wsgi(body, path)[0] == 201
    assert REQUESTS.labels("api-v1:cast", "2xx")._value.get() == before + 1


def test_over_plain_http_the_lane_redirects_like_the_site_when_https_is_required(voting, settings):
    from sciweek.wsgi import SciweekWSGIHandler

    settings.SECURE_SSL_REDIRECT = True
    selection, (li, _w, _z) = voting
    handler = SciweekWSGIHandler()  # middleware reads its settings when built, as at start-up
    body = json.dumps({"phone": "13800000005", "code": "123456", "candidate_ids": [li.pk]})
    environ = (
        RequestFactory(HTTP_HOST="127.0.0.1")
        .generic("POST", f"/api/v1/selections/{selection.pk}/votes", body, content_type="application/json")
        .environ
    )
    seen = []
    handler(environ, lambda status, headers: seen.append((status, dict(headers))))
    assert seen[0][0].startswith("301") and seen[0][1]["Location"].startswith("https://")


def test_the_lane_applies_the_vote_rate_limit(voting, settings):
    settings.SCIWEEK_VOTE_RATE = "2/60"
    selection, (li, wang, zhao) = voting
    code = _code(selection, "13800000006")
    path = f"/api/v1/selections/{selection.pk}/votes"
    answers = [
        _wsgi(json.dumps({"phone": "13800000006", "code": code, "candidate_ids": [c.pk]}), path)[0]
        for c in (li, wang, zhao)
    ]
    assert answers == [201, 201, 429]
