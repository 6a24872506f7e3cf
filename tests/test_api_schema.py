"""Schemathesis over /api/v1/openapi.json: generated requests (bounded, deterministic) never get a 5xx.

Every operation of the schema is called through the WSGI application with a personal token: reads as
the county organizer and as a unit reporter, writes as the organizer. Bad input must be answered 4xx
in Chinese, never with a server error.
"""

from __future__ import annotations

import os
import traceback

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .walker import Route, fill
from .world import model_pks

# Bounded for `make test`; raise for a longer hunt: SCIWEEK_API_FUZZ=200 pytest tests/test_api_schema.py
READ_EXAMPLES = int(os.environ.get("SCIWEEK_API_FUZZ", "25"))
WRITE_EXAMPLES = max(1, READ_EXAMPLES * 2 // 5)


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests share the test's transaction, as with Django's test client (which does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        errors.append(f"{request.method} {request.get_full_path()}\n{traceback.format_exc()}")

    signals.got_request_exception.connect(record)
    yield errors
    signals.got_request_exception.disconnect(record)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _real_ids(operation, pool: dict[str, list]) -> dict[str, str]:
    """Ids of real objects for the operation's path parameters (random ids would nearly always 404)."""
    names = [p.name for p in operation.path_parameters]
    route = Route(
        name="api-v1:" + operation.label,
        template=operation.path.lstrip("/"),
        params=[(n, "int" if n.endswith("_id") else "str") for n in names],
    )
    filled = fill(route, pool)
    return {n: v for n, v in filled.values.items() if filled.sources[n] != "fallback"}


def _checker(operation, real: dict[str, str], token: str, examples: int, failures: list[str]):
    @given(case=operation.as_strategy(), use_real=st.booleans())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case, use_real):
        if use_real and real and case.path_parameters is not None:
            case.path_parameters = {**case.path_parameters, **real}
        try:
            with transaction.atomic():  # a failing call must not poison the next one (PostgreSQL)
                response = case.call(headers={"Authorization": f"Bearer {token}"})
        except Exception as exc:  # the savepoint itself failed: that is a server error too
            failures.append(f"{operation.label}: {exc!r}")
            return
        if response.status_code >= 500:
            failures.append(
                f"{operation.label} {case.path_parameters} {case.query} {case.body!r:.200}: "
                f"{response.status_code}"
            )

    return check


def _run(schema, token: str, *, methods: set[str], examples: int) -> list[str]:
    failures: list[str] = []
    pool = {label: sorted(pks) for label, pks in model_pks().items() if pks}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.lower() in methods:
            _checker(operation, _real_ids(operation, pool), token, examples, failures)()
    return failures


def _application():
    """The application gunicorn serves (sciweek/wsgi.py), so the vote's short lane is fuzzed too."""
    from sciweek.wsgi import SciweekWSGIHandler

    return SciweekWSGIHandler()


@pytest.mark.parametrize("persona", ["organizer", "town1"])
def test_reads_never_fail(persona, request, wsgi_in_test_transaction, demo):
    from sciweek.accounts.services import token_create

    user = request.getfixturevalue(persona)
    _, raw = token_create(actor=user, user=user, name="schemathesis")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _application())
    failures = _run(schema, raw, methods={"get"}, examples=READ_EXAMPLES)
    assert not failures, "\n".join(failures[:20] + wsgi_in_test_transaction[:3])


def test_writes_never_fail(organizer, wsgi_in_test_transaction, demo):
    from sciweek.accounts.services import token_create

    _, raw = token_create(actor=organizer, user=organizer, name="schemathesis")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _application())
    failures = _run(schema, raw, methods={"post", "put", "patch", "delete"}, examples=WRITE_EXAMPLES)
    assert not failures, "\n".join(failures[:20] + wsgi_in_test_transaction[:3])
