"""A NUL character in a query string is refused with 400 before any view runs: PostgreSQL text cannot hold
it, so a filter such as /api/v1/experts?q=%00 once answered 500 there."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_answers_400_in_json(client_for, organizer):
    r = client_for(organizer).get("/api/v1/experts", {"q": "a\x00b"})
    assert r.status_code == 400
    assert "detail" in json.loads(r.content)


def test_a_page_answers_the_400_page(client):
    r = client.get("/", {"q": "\x00"})
    assert r.status_code == 400 and "<html" in r.content.decode().lower()


def test_an_ordinary_query_passes(client):
    assert client.get("/", {"q": "科普"}).status_code == 200
