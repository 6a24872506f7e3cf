"""JSON answers carry a fixed strict policy; pages keep the full one with their nonce."""

from __future__ import annotations

import pytest

from sciweek.core.csp import JSON_POLICY

pytestmark = pytest.mark.django_db


def test_a_json_answer_gets_the_strict_constant_policy(client):
    r = client.get("/api/v1/selections/999999/tally")
    assert r["Content-Type"].startswith("application/json")
    assert r["Content-Security-Policy"] == JSON_POLICY == "default-src 'none'; frame-ancestors 'none'"


def test_a_page_keeps_the_full_policy(client):
    r = client.get("/accounts/login/")
    assert r["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in r["Content-Security-Policy"]
