"""Editing and deleting records (version-checked, audited, scoped) and deactivating experts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from sciweek.core.errors import StaleVersion
from sciweek.core.models import AuditEvent
from sciweek.innovation import services
from sciweek.innovation.matching import suggestions
from sciweek.innovation.models import ProjectApplication, ServiceLog, Visit

from .conftest import Api, make_code
from .test_records import jpeg


@pytest.fixture
def visit(organizer, enterprise):
    return services.visit_create(actor=organizer, enterprise=enterprise, date="2023-05-22", visitors="陈曦")


def test_a_visit_is_edited_on_its_version_and_deleted_with_its_photos(organizer, visit):
    v = services.visit_update(actor=organizer, visit=visit, version=1, findings="缺少检测设备")
    assert (v.findings, v.version, v.visitors) == ("缺少检测设备", 2, "陈曦")
    with pytest.raises(StaleVersion):
        services.visit_update(actor=organizer, visit=visit, version=1, findings="覆盖")
    with pytest.raises(ValidationError) as exc:
        services.visit_update(actor=organizer, visit=visit, version=2, visitors="", date="2099-01-01")
    assert set(exc.value.message_dict) == {"visitors", "date"}
    edit = AuditEvent.objects.get(action="innovation.visit_update")
    assert edit.before["findings"] == "" and edit.after["findings"] == "缺少检测设备"
    photo = services.photo_add(actor=organizer, upload=SimpleUploadedFile("a.jpg", jpeg(taken=None)), visit=v)
    with pytest.raises(StaleVersion):
        services.visit_delete(actor=organizer, visit=v, version=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.visit_delete(actor=organizer, visit=v, version=2)
    assert not Visit.objects.exists() and not default_storage.exists(photo.file.name)
    assert AuditEvent.objects.get(action="innovation.visit_delete").before["findings"] == "缺少检测设备"


def test_a_town_edits_its_own_records_only(organizer, town1, towns, visit):
    other = services.enterprise_create(
        actor=organizer, unit=towns[1], name="别镇企业", credit_code=make_code(7)
    )
    theirs = services.visit_create(actor=organizer, enterprise=other, date="2023-05-22", visitors="王")
    api = Api(town1)
    r = api.client.patch(f"/api/v1/visits/{visit.pk}", data={"version": 1, "findings": "已整改"},
                         content_type="application/json", **api.headers)  # fmt: skip
    assert r.status_code == 200 and r.json()["version"] == 2
    r = api.client.patch(f"/api/v1/visits/{visit.pk}", data={"version": 1, "findings": "x"},
                         content_type="application/json", **api.headers)  # fmt: skip
    assert r.status_code == 409
    r = api.client.patch(f"/api/v1/visits/{theirs.pk}", data={"version": 1, "findings": "x"},
                         content_type="application/json", **api.headers)  # fmt: skip
    assert r.status_code == 404
    assert api.client.delete(f"/api/v1/visits/{theirs.pk}?version=1", **api.headers).status_code == 404
    assert api.client.delete(f"/api/v1/visits/{visit.pk}?version=2", **api.headers).status_code == 204
    assert list(Visit.objects.all()) == [theirs]
    app = services.application_create(actor=organizer, enterprise=visit.enterprise, programme="科技型中小企业评价",
                                      level="national", year=2023)  # fmt: skip
    r = api.client.patch(f"/api/v1/applications/{app.pk}", data={"version": 1, "status": "approved", "amount": "20"},
                         content_type="application/json", **api.headers)  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = api.client.patch(f"/api/v1/applications/{app.pk}", data={"version": 2, "level": "galactic"},
                         content_type="application/json", **api.headers)  # fmt: skip
    assert r.status_code == 400 and "level" in r.json()["detail"]
    assert api.client.delete(f"/api/v1/applications/{app.pk}?version=2", **api.headers).status_code == 204
    assert not ProjectApplication.objects.exists()


def test_a_commissioner_edits_only_their_own_logs(organizer, town1, towns, experts, django_user_model):
    li = django_user_model.objects.create_user("tpy-li", password="x")
    experts["plant"].user = li
    experts["plant"].save()
    other = services.expert_create(actor=organizer, region=experts["plant"].region, name="王特派", organization="宿州学院",
                                   org_kind="university", discipline="园艺学", is_commissioner=True)  # fmt: skip
    common = {"actor": organizer, "unit": towns[0], "date": "2023-05-21", "place_kind": "village", "place": "东风村",
              "kind": "onsite", "topics": "指导"}  # fmt: skip
    mine = services.servicelog_create(**common, expert=experts["plant"])
    theirs = services.servicelog_create(**common, expert=other)
    me = Api(li)

    def patch(log, body):
        return me.client.patch(f"/api/v1/service-logs/{log.pk}", data=body, content_type="application/json",
                               **me.headers)  # fmt: skip

    r = patch(mine, {"version": 1, "people_served": 45, "hours": "2.5"})
    assert r.status_code == 200 and (r.json()["people_served"], r.json()["version"]) == (45, 2)
    assert patch(mine, {"version": 2, "kind": "dancing"}).json()["detail"].keys() == {"kind"}
    assert patch(theirs, {"version": 1, "people_served": 1}).status_code == 404
    town = Api(town1)  # the town sees the logs in it but does not write a commissioner's log
    r = town.client.patch(f"/api/v1/service-logs/{mine.pk}", data={"version": 2, "hours": 1},
                          content_type="application/json", **town.headers)  # fmt: skip
    assert r.status_code == 403
    assert me.client.delete(f"/api/v1/service-logs/{mine.pk}?version=2", **me.headers).status_code == 204
    assert list(ServiceLog.objects.all()) == [theirs]
    assert AuditEvent.objects.filter(action="innovation.servicelog_delete").count() == 1


def test_a_deactivated_expert_is_not_matched_until_reactivated(organizer, town1, enterprise, experts):
    demand = services.demand_create(actor=town1, enterprise=enterprise, title="小麦赤霉病绿色防控", field="crops",
                                    description="小麦赤霉病连年发生，需要绿色防控技术")  # fmt: skip
    plant = experts["plant"]
    assert plant.pk in [s.id for s in suggestions(demand, limit=10) if s.kind == "expert"]
    api = Api(organizer)
    r = api.post(f"experts/{plant.pk}/active", {"active": False, "version": plant.version})
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert plant.pk not in [s.id for s in suggestions(demand, limit=10) if s.kind == "expert"]
    assert plant.pk not in [x["id"] for x in api.get("experts").json()]
    assert [x["id"] for x in api.get("experts?inactive=true").json()] == [plant.pk]
    assert (
        api.post(f"experts/{plant.pk}/active", {"active": True, "version": plant.version}).status_code == 409
    )
    assert Api(town1).post(
        f"experts/{plant.pk}/active", {"active": True, "version": r.json()["version"]}
    ).status_code in (403, 404)
    assert (
        api.post(f"experts/{plant.pk}/active", {"active": True, "version": r.json()["version"]}).status_code
        == 200
    )
    assert plant.pk in [s.id for s in suggestions(demand, limit=10) if s.kind == "expert"]
    assert AuditEvent.objects.filter(action="innovation.expert_deactivate").count() == 1
