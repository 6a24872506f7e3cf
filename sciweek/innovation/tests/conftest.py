"""Fixtures of the innovation tests: the demo's county, towns and a registry built through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.core import clock
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


def at(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def _step(actor, demand, to, **kw):
    demand.refresh_from_db()
    return services.demand_set_status(actor=actor, demand=demand, to=to, version=demand.version, **kw)


@pytest.fixture
def activities(demo):
    return {a.number: a for a in demo.campaign.activities.all()}


@pytest.fixture
def records(settings, organizer, town1, towns, enterprise, experts):
    """Week 2023-05-20 … 05-31. Town one: two visits, a demand signed for 30 万元, two service logs;
    town two: a visit, a 涉密 demand, a log. Before the week: a visit, a demand, a log (never counted)."""
    other = services.enterprise_create(
        actor=organizer, unit=towns[1], name="泗县示例机械有限公司", credit_code=make_code(2)
    )
    settings.DEMO_MODE = True  # clock.demo_at dates the demands' history inside the week
    plant = experts["plant"]
    log = {"place_kind": "village", "place": "东风村", "topics": "小麦赤霉病防控"}
    with clock.demo_at(at(2023, 4, 10, 9)):
        services.demand_create(
            actor=organizer, enterprise=enterprise, title="旧需求", field="crops", description="x"
        )
        services.visit_create(actor=organizer, enterprise=enterprise, date="2023-04-10", visitors="陈曦")
        services.servicelog_create(actor=organizer, expert=plant, unit=towns[0], date="2023-04-10", kind="onsite",
                                   people_served=99, hours=8, **log)  # fmt: skip
    with clock.demo_at(at(2023, 5, 31, 12)):
        for day, e in (("2023-05-22", enterprise), ("2023-05-23", enterprise), ("2023-05-24", other)):
            services.visit_create(actor=organizer, enterprise=e, date=day, visitors="陈曦")
        d = services.demand_create(actor=town1, enterprise=enterprise, title="小麦赤霉病绿色防控", field="crops",
                                   description="需要绿色防控技术")  # fmt: skip
        for to in ("reviewed", "matching", "diagnosis"):
            _step(organizer, d, to)
        services.match_confirm(actor=organizer, demand=d, kind="expert", target_id=plant.pk)
        _step(organizer, d, "connecting")
        _step(organizer, d, "signed", contract_amount="30", contract_number="2023340012000123")
        services.demand_create(actor=organizer, enterprise=other, title="涉密工艺", field="crops", description="x",
                               is_secret=True)  # fmt: skip
        services.servicelog_create(actor=organizer, expert=plant, unit=towns[0], date="2023-05-21", kind="onsite",
                                   people_served=30, hours=3, **log)  # fmt: skip
        services.servicelog_create(actor=organizer, expert=plant, unit=towns[0], date="2023-05-22", kind="online",
                                   people_served=200, hours="1.5", **log)  # fmt: skip
        services.servicelog_create(actor=organizer, expert=plant, unit=towns[1], date="2023-05-25", kind="training",
                                   people_served=12, hours=2, **log)  # fmt: skip


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
