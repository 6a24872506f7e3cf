"""Fixtures of the innovation tests: the demo's county, towns and a registry built through the services."""

from __future__ import annotations

import pytest

from sciweek.innovation import services
from sciweek.innovation.creditcode import ALPHABET, check_character
from sciweek.orgs.models import OrgUnit


def make_code(seed: int) -> str:
    """A valid 统一社会信用代码 made from a number (first 17 characters, then the check character)."""
    body = "91341324"
    n = seed
    for _ in range(9):
        body += ALPHABET[n % 31]
        n //= 31
    return body + check_character(body)


@pytest.fixture
def county(demo):
    return OrgUnit.objects.get(name="泗县")


@pytest.fixture
def towns(demo):
    return list(OrgUnit.objects.filter(kind="town").order_by("path"))


@pytest.fixture
def enterprise(organizer, towns):
    return services.enterprise_create(
        actor=organizer, unit=towns[0], name="泗县丰收农业科技有限公司", credit_code=make_code(1),
        division="01", size="small", qualifications=["科技型中小企业"],
        contacts=[{"name": "王经理", "phone": "13912345678", "position": "总经理"}],
    )  # fmt: skip


@pytest.fixture
def experts(organizer, county, towns):
    plant = services.expert_create(
        actor=organizer,
        region=county,
        name="李植保",
        organization="安徽农业大学",
        org_kind="university",
        discipline="植物保护",
        keywords=["小麦病虫害", "赤霉病", "绿色防控"],
        is_commissioner=True,
        service_towns=[towns[0]],
    )
    mech = services.expert_create(
        actor=organizer,
        region=county,
        name="张机械",
        organization="宿州学院",
        org_kind="university",
        discipline="机械工程",
        keywords=["小麦收割机", "农机装备", "数控机床"],
    )
    food = services.expert_create(
        actor=organizer,
        region=county,
        name="赵食品",
        organization="县农产品加工研究所",
        org_kind="institute",
        discipline="食品科学技术",
        keywords=["面粉加工", "食品保鲜"],
    )
    return {"plant": plant, "mech": mech, "food": food}


class Api:
    """/api/v1/ with a personal token, JSON in and out."""

    def __init__(self, user) -> None:
        from django.test import Client

        from sciweek.accounts.services import token_create

        _, raw = token_create(actor=user, user=user, name="测试")
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path: str):
        return self.client.get(f"/api/v1/{path}", **self.headers)

    def post(self, path: str, data: dict):
        import json

        return self.client.post(
            f"/api/v1/{path}", data=json.dumps(data), content_type="application/json", **self.headers
        )


@pytest.fixture
def api():
    return Api
