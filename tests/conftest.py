"""Fixtures for the cross-cutting tests: a second county, API clients with a personal token."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from .world import build_other_county, build_qxj_data, model_pks


@pytest.fixture
def other(demo):
    """灵璧县: a second county under 宿州市 with its own campaign, units, staff, accounts and report."""
    return build_other_county()


@pytest.fixture
def qxj_data(demo):
    return build_qxj_data()


class ApiClient:
    """Calls /api/v1/ with `Authorization: Bearer sw_…` (no session), JSON in and out."""

    def __init__(self, raw_token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}

    def _call(self, method: str, path: str, data=None):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = dict(self.headers)
        if data is not None:
            kwargs |= {"data": json.dumps(data), "content_type": "application/json"}
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str):
        return self._call("get", path)

    def post(self, path: str, data=None):
        return self._call("post", path, data if data is not None else {})

    def patch(self, path: str, data=None):
        return self._call("patch", path, data if data is not None else {})

    def delete(self, path: str):
        return self._call("delete", path)


@pytest.fixture
def api_for():
    """api_for(user) → an ApiClient holding a fresh personal token of that user."""
    from sciweek.accounts.services import token_create

    def make(user) -> ApiClient:
        _, raw = token_create(actor=user, user=user, name="测试")
        return ApiClient(raw)

    return make


@pytest.fixture
def quiet():
    logging.disable(logging.CRITICAL)  # thousands of expected 403/404 warnings
    yield
    logging.disable(logging.NOTSET)


@pytest.fixture
def pools(demo, quiet):
    """Rows by model label: "foreign" (灵璧县), "qxj" (县气象局, another unit of 泗县), "own" (泗县: the
    county's units first, 县气象局's rows before the rest)."""
    from sciweek.orgs.models import OrgUnit

    from .world import build_other_county, build_qxj_data

    qxj = build_qxj_data()
    own = {
        label: list(qxj.get(label, [])) + sorted(pks - set(qxj.get(label, [])), key=str)
        for label, pks in model_pks().items()
        if pks
    }
    county = OrgUnit.objects.get(name="泗县")
    inside = set(OrgUnit.objects.filter(path__startswith=county.path).values_list("pk", flat=True))
    own["orgs.orgunit"] = [pk for pk in own["orgs.orgunit"] if pk in inside]
    other = build_other_county()
    return {"foreign": other.created, "qxj": qxj, "own": own, "other": other}
