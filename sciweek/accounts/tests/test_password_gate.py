"""The one-time password gate (accounts.middleware): checked on every page, read from the profile once
per session and password."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciweek.accounts.middleware import must_change_password
from sciweek.accounts.services import user_reset_password

pytestmark = pytest.mark.django_db


def _profile_reads(request) -> int:
    request.user = get_user_model().objects.get(pk=request.user.pk)  # a new request: nothing cached
    with CaptureQueriesContext(connection) as queries:
        assert not must_change_password(request)
    return sum('FROM "accounts_profile"' in q["sql"] for q in queries.captured_queries)


def _login(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, "login failed"
    return client


def test_it_reads_the_profile_once_per_session_and_password(client_for, qxj):
    store = import_module(settings.SESSION_ENGINE).SessionStore
    request = RequestFactory().get("/")
    request.session, request.user = store(client_for(qxj).session.session_key), qxj
    assert _profile_reads(request) == 1
    assert _profile_reads(request) == 0  # known fine for this session's password: not read again
    request.session = store(client_for(qxj).session.session_key)
    assert _profile_reads(request) == 1  # another session asks once for itself


def test_a_new_one_time_password_is_enforced_at_once(organizer, qxj, client_for):
    page = "/my/"
    old_session = client_for(qxj)
    assert old_session.get(page).status_code == 200
    password = user_reset_password(actor=organizer, user=qxj)
    # The session made with the old password is over (its hash no longer matches) …
    assert old_session.get(page).url.startswith(reverse("accounts:login"))
    # … and the new one must be replaced before anything else, however often it is asked.
    new_session = _login("sx-qxj", password)
    change = reverse("accounts:password_change")
    for _ in range(2):
        forced = new_session.get(page)
        assert forced.status_code == 302 and forced.url == change
    done = new_session.post(
        change, {"old_password": password, "new_password1": "Kx7#mq2Lp9zT", "new_password2": "Kx7#mq2Lp9zT"}
    )
    assert done.status_code == 302
    assert new_session.get(page).status_code == 200
