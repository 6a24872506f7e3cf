"""Enterprises and experts through the services: validation that names the field, audit, versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sciweek.core.errors import StaleVersion
from sciweek.core.models import AuditEvent
from sciweek.innovation import services
from sciweek.innovation.models import Enterprise

from .conftest import make_code


def test_it_registers_an_enterprise_with_its_industry_and_contacts(enterprise):
    assert enterprise.section == "A" and enterprise.division == "01"
    assert enterprise.contacts.get().phone == "13912345678"
    assert AuditEvent.objects.filter(
        action="innovation.enterprise_create", object_id=str(enterprise.pk)
    ).exists()


def test_it_refuses_a_wrong_credit_code_naming_the_field(organizer, towns):
    code = make_code(7)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(actor=organizer, unit=towns[0], name="某公司", credit_code=wrong)
    assert "统一社会信用代码" in exc.value.message_dict["credit_code"][0]
    assert not Enterprise.objects.exists()


def test_it_refuses_a_duplicate_code_a_county_department_and_a_wrong_division(
    organizer, towns, enterprise, unit
):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(
            actor=organizer, unit=towns[1], name="重复", credit_code=enterprise.credit_code
        )
    assert "已登记" in exc.value.message_dict["credit_code"][0]
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(
            actor=organizer,
            unit=unit("县气象局"),
            name="某公司",
            credit_code=make_code(9),
            section="C",
            division="01",
        )
    assert "镇（街道）或经济开发区" in exc.value.message_dict["unit_id"][0]
    assert "不属于门类 C" in exc.value.message_dict["division"][0]


def test_it_checks_the_version_on_edit(organizer, enterprise):
    services.enterprise_update(
        actor=organizer, enterprise=enterprise, version=1, name="泗县丰收农业股份有限公司"
    )
    with pytest.raises(StaleVersion):
        services.enterprise_update(actor=organizer, enterprise=enterprise, version=1, name="旧名")
    enterprise.refresh_from_db()
    assert enterprise.name == "泗县丰收农业股份有限公司" and enterprise.version == 2


def test_staff_of_a_government_organ_cannot_be_a_commissioner(organizer, county):
    with pytest.raises(ValidationError) as exc:
        services.expert_create(
            actor=organizer, region=county, name="某干部", organization="泗县农业农村局", org_kind="organ",
            discipline="农学", keywords=["水稻"], is_commissioner=True,
        )  # fmt: skip
    assert "党政机关" in exc.value.message_dict["is_commissioner"][0]


def test_an_expert_gets_a_field_from_the_discipline_and_search_tokens(experts):
    plant = experts["plant"]
    assert plant.field == "crops"
    assert "赤霉病" in plant.search_text.split()


def test_the_bureau_edits_an_expert_on_its_page_and_a_town_cannot(
    client_for, organizer, town1, experts, towns
):
    plant = experts["plant"]
    url = f"/innovation/experts/{plant.pk}/edit/"
    assert client_for(town1).get(url).status_code == 404
    form = {"name": "李植保", "organization": "安徽农业大学", "org_kind": "university", "discipline": "植物保护",
            "keywords": "赤霉病、纹枯病", "is_commissioner": "on", "service_towns": [towns[1].pk], "version": 1}  # fmt: skip
    r = client_for(organizer).post(url, form)
    assert r.status_code == 302
    plant.refresh_from_db()
    assert plant.keywords == ["赤霉病", "纹枯病"] and [t.pk for t in plant.service_towns.all()] == [
        towns[1].pk
    ]
    r = client_for(organizer).post(url, {**form, "org_kind": "organ"})  # stale version, and an organ
    assert r.status_code == 200 and "已被其他人修改" in r.content.decode()
