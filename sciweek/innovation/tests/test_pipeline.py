"""The demand pipeline: allowed steps, who takes them, contracts, 涉密, audit and history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sciweek.core.errors import StaleVersion
from sciweek.core.models import AuditEvent
from sciweek.innovation import services
from sciweek.innovation.models import Demand


@pytest.fixture
def demand(town1, enterprise):
    return services.demand_create(
        actor=town1, enterprise=enterprise, title="小麦赤霉病绿色防控", field="crops",
        description="小麦赤霉病连年发生，需要绿色防控技术", budget="12.5",
    )  # fmt: skip


def step(actor, demand, to, **kw):
    demand.refresh_from_db()
    return services.demand_set_status(actor=actor, demand=demand, to=to, version=demand.version, **kw)


def test_it_runs_the_whole_pipeline_with_a_contract(organizer, town1, demand, experts):
    step(town1, demand, "reviewed")
    step(organizer, demand, "matching")
    step(organizer, demand, "diagnosis", note="已上门诊断")
    with pytest.raises(ValidationError, match="确认至少一个匹配"):
        step(organizer, demand, "connecting")
    services.match_confirm(actor=organizer, demand=demand, kind="expert", target_id=experts["plant"].pk)
    step(organizer, demand, "connecting")
    with pytest.raises(ValidationError) as exc:
        step(organizer, demand, "signed")
    assert set(exc.value.message_dict) == {"contract_amount", "contract_number"}
    step(organizer, demand, "signed", contract_amount="30", contract_number="2023340012000123")
    step(organizer, demand, "tracking")
    d = step(organizer, demand, "solved")
    assert d.status == "solved" and str(d.contract_amount) == "30.00"
    assert [c.to_status for c in d.changes.all()] == [
        "collected", "reviewed", "matching", "diagnosis", "connecting", "signed", "tracking", "solved"
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="innovation.demand_status", object_id=str(d.pk)).count() == 7
    with pytest.raises(ValidationError, match="已结束"):
        step(organizer, demand, "closed", note="x")


def test_it_refuses_skipping_steps_and_a_town_taking_the_bureaus_steps(organizer, town1, demand):
    with pytest.raises(ValidationError, match="不能改为「签约」"):
        step(organizer, demand, "signed", contract_amount="1", contract_number="x")
    step(town1, demand, "reviewed")
    with pytest.raises(PermissionDenied):
        step(town1, demand, "matching")
    with pytest.raises(ValidationError, match="原因"):
        step(organizer, demand, "closed")
    assert step(organizer, demand, "collected").status == "collected"  # sent back


def test_a_secret_demand_is_never_published(organizer, town1, demand):
    step(town1, demand, "reviewed")
    step(organizer, demand, "matching")
    demand.refresh_from_db()
    demand = services.demand_publish(actor=organizer, demand=demand, publish=True, version=demand.version)
    assert demand.is_published
    demand = services.demand_update(actor=organizer, demand=demand, version=demand.version, is_secret=True)
    assert not demand.is_published  # 涉密 withdrew it
    with pytest.raises(ValidationError, match="涉密"):
        services.demand_publish(actor=organizer, demand=demand, publish=True, version=demand.version)


def test_a_stale_edit_is_refused(town1, demand):
    services.demand_update(actor=town1, demand=demand, version=1, title="新标题")
    with pytest.raises(StaleVersion):
        services.demand_update(actor=town1, demand=demand, version=1, title="覆盖")
    assert Demand.objects.get().title == "新标题"


def test_bad_fields_are_named(town1, enterprise):
    with pytest.raises(ValidationError) as exc:
        services.demand_create(
            actor=town1, enterprise=enterprise, title="", field="space", description="x", budget="很多"
        )
    assert set(exc.value.message_dict) == {"title", "field", "budget"}


def test_the_public_list_shows_published_demands_and_never_a_secret_one(client, organizer, town1, demand):
    step(town1, demand, "reviewed")
    step(organizer, demand, "matching")
    demand.refresh_from_db()
    services.demand_publish(actor=organizer, demand=demand, publish=True, version=demand.version)
    html = client.get("/innovation/published/").content.decode()
    assert "小麦赤霉病绿色防控" in html and "13912345678" not in html
    demand.refresh_from_db()
    services.demand_update(actor=organizer, demand=demand, version=demand.version, is_secret=True)
    assert "小麦赤霉病绿色防控" not in client.get("/innovation/published/").content.decode()


def test_publishing_with_a_version_that_is_no_number_shows_no_python_error(organizer, demand, client_for):
    """int("abc") raised ValueError, shown as "invalid literal for int() with base 10" on the page."""
    c = client_for(organizer)
    r = c.post(f"/innovation/demands/{demand.pk}/publish/", {"publish": "1", "version": "abc"})
    assert r.status_code == 302
    page = c.get(r.url).content.decode()
    assert "invalid literal" not in page
