"""Editing and deleting records on the pages: the forms come prefilled with the version, a stale save says so
(no 500, nothing overwritten), a delete is a POST on the version the list showed, and another unit's
records answer 404 (out of sight) or 403 (seen, not theirs to change)."""

from __future__ import annotations

import pytest

from sciweek.core.models import AuditEvent
from sciweek.innovation import services
from sciweek.innovation.models import ProjectApplication, ServiceLog, Visit

from .conftest import make_code

pytestmark = pytest.mark.django_db
STALE = "已被其他人修改，请刷新页面查看最新内容后再保存"


@pytest.fixture
def visit(organizer, enterprise):
    return services.visit_create(actor=organizer, enterprise=enterprise, date="2023-05-22", visitors="陈曦")


@pytest.fixture
def theirs(organizer, towns):
    """A visit and an application of an enterprise in the second town (示例镇一 cannot see it)."""
    other = services.enterprise_create(
        actor=organizer, unit=towns[1], name="别镇企业", credit_code=make_code(7)
    )
    v = services.visit_create(actor=organizer, enterprise=other, date="2023-05-22", visitors="王")
    a = services.application_create(actor=organizer, enterprise=other, programme="省科技计划", level="provincial",
                                    year=2023)  # fmt: skip
    return v, a


def _visit_form(visit, **changes):
    data = {
        "date": "2023-05-22", "visitors": visit.visitors, "findings": visit.findings,
        "demands_raised": visit.demands_raised, "confirmed_by_name": "", "version": str(visit.version),
    }  # fmt: skip
    return data | changes


def test_a_town_edits_its_own_visit_from_the_enterprise_page(client_for, town1, visit):
    c = client_for(town1)
    page = c.get(f"/innovation/enterprises/{visit.enterprise_id}/").content.decode()
    assert f'id="visit-{visit.pk}-edit"' in page and f'action="/innovation/visits/{visit.pk}/delete/"' in page
    form = c.get(f"/innovation/visits/{visit.pk}/edit/")
    html = form.content.decode()
    assert form.status_code == 200 and 'value="陈曦"' in html and 'name="version" value="1"' in html
    assert 'type="date" name="date" value="2023-05-22"' in html  # ISO: a date input shows nothing else
    r = c.post(f"/innovation/visits/{visit.pk}/edit/", _visit_form(visit, findings="缺少检测设备"))
    assert r.status_code == 302 and r["Location"] == f"/innovation/enterprises/{visit.enterprise_id}/"
    visit.refresh_from_db()
    assert (visit.findings, visit.version) == ("缺少检测设备", 2)
    audit = AuditEvent.objects.get(action="innovation.visit_update")
    assert audit.before["findings"] == "" and audit.after["findings"] == "缺少检测设备"
    # A field the service refuses is named next to it.
    r = c.post(f"/innovation/visits/{visit.pk}/edit/", _visit_form(visit, visitors=""))
    assert r.status_code == 200 and "请填写「走访人员」" in r.content.decode()


def test_a_stale_save_says_so_and_keeps_the_other_persons_change(client_for, town1, organizer, visit):
    c = client_for(town1)
    loaded = _visit_form(visit, findings="镇里看到的")  # the town opened the form on version 1 …
    services.visit_update(
        actor=organizer, visit=visit, version=1, findings="科技局先改了"
    )  # … the bureau saved
    r = c.post(f"/innovation/visits/{visit.pk}/edit/", loaded)
    body = r.content.decode()
    assert r.status_code == 200 and "该走访记录" + STALE in body
    visit.refresh_from_db()
    assert (visit.findings, visit.version) == ("科技局先改了", 2)
    # A form without its version is not saved blindly either.
    r = c.post(f"/innovation/visits/{visit.pk}/edit/", _visit_form(visit, version="", findings="盲改"))
    assert STALE in r.content.decode()
    visit.refresh_from_db()
    assert visit.findings == "科技局先改了"
    # A delete on the version the list showed before the change is refused with the same message.
    r = c.post(f"/innovation/visits/{visit.pk}/delete/", {"version": "1"}, follow=True)
    assert r.status_code == 200 and STALE in r.content.decode()
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_town_deletes_its_own_visit_and_application_with_a_post(client_for, town1, organizer, visit):
    app = services.application_create(actor=organizer, enterprise=visit.enterprise, programme="科技型中小企业评价",
                                      level="national", year=2023)  # fmt: skip
    c = client_for(town1)
    assert c.get(f"/innovation/visits/{visit.pk}/delete/").status_code == 405  # never by a link
    r = c.post(f"/innovation/visits/{visit.pk}/delete/", {"version": "1"}, follow=True)
    assert r.status_code == 200 and "已删除走访记录" in r.content.decode()
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert AuditEvent.objects.get(action="innovation.visit_delete").before["visitors"] == "陈曦"
    page = c.get(f"/innovation/applications/{app.pk}/edit/").content.decode()
    assert 'value="科技型中小企业评价"' in page and 'id="record-delete-form"' in page
    r = c.post(
        f"/innovation/applications/{app.pk}/edit/",
        {"programme": "科技型中小企业评价", "level": "national", "year": "2023", "status": "approved",
         "amount": "20", "guided_by": "", "version": "1"},
    )  # fmt: skip
    assert r.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.version) == ("approved", 2)
    assert c.post(f"/innovation/applications/{app.pk}/delete/", {"version": "1"}).status_code == 302
    assert ProjectApplication.objects.filter(pk=app.pk).exists()  # the old version: refused
    assert c.post(f"/innovation/applications/{app.pk}/delete/", {}).status_code == 302
    assert ProjectApplication.objects.filter(pk=app.pk).exists()  # no version: refused
    c.post(f"/innovation/applications/{app.pk}/delete/", {"version": "2"})
    assert not ProjectApplication.objects.filter(pk=app.pk).exists()


def test_another_towns_records_are_out_of_reach(client_for, town1, theirs):
    v, a = theirs
    c = client_for(town1)
    assert c.get(f"/innovation/visits/{v.pk}/edit/").status_code == 404
    assert c.post(f"/innovation/visits/{v.pk}/edit/", _visit_form(v, findings="x")).status_code == 404
    assert c.post(f"/innovation/visits/{v.pk}/delete/", {"version": "1"}).status_code == 404
    assert c.get(f"/innovation/applications/{a.pk}/edit/").status_code == 404
    assert c.post(f"/innovation/applications/{a.pk}/delete/", {"version": "1"}).status_code == 404
    v.refresh_from_db()
    assert v.findings == "" and ProjectApplication.objects.filter(pk=a.pk).exists()


def test_logs_a_commissioner_edits_their_own_and_a_town_only_reads_them(
    client_for, organizer, town1, towns, experts, django_user_model
):
    li = django_user_model.objects.create_user("tpy-li", password="x")
    plant = experts["plant"]
    plant.user = li
    plant.save()
    log = services.servicelog_create(actor=li, expert=plant, unit=towns[0], date="2023-05-21", place_kind="village",
                                     place="东风村", kind="onsite", people_served=30, hours=3, topics="小麦赤霉病防控")  # fmt: skip
    edit, delete = f"/innovation/logs/{log.pk}/edit/", f"/innovation/logs/{log.pk}/delete/"
    # The town sees the log in its town but does not rewrite the commissioner's: 403.
    town = client_for(town1)
    listing = town.get("/innovation/logs/").content.decode()
    assert "东风村" in listing and f'id="log-{log.pk}-edit"' not in listing
    assert town.get(edit).status_code == 403
    assert town.post(delete, {"version": "1"}).status_code == 403
    # The commissioner edits it (the form has no commissioner or town to change).
    own = client_for(li)
    listing = own.get("/innovation/logs/").content.decode()
    assert f'id="log-{log.pk}-edit"' in listing and f'id="log-{log.pk}-delete"' in listing
    html = own.get(edit).content.decode()
    assert 'value="东风村"' in html and 'name="expert"' not in html and 'name="unit"' not in html
    form = {"date": "2023-05-21", "place_kind": "village", "place": "东风村", "kind": "training",
            "people_served": "45", "hours": "2.5", "topics": "小麦赤霉病防控", "event_id": "", "version": "1"}  # fmt: skip
    assert own.post(edit, form).status_code == 302
    log.refresh_from_db()
    assert (log.kind, log.people_served, log.version) == ("training", 45, 2)
    r = own.post(edit, form | {"hours": "30"})
    assert r.status_code == 200 and "data-error-for" in r.content.decode()
    # The bureau over the town may correct it too; then the commissioner's old page is stale.
    bureau = client_for(organizer)
    assert bureau.post(edit, form | {"version": "2", "people_served": "46"}).status_code == 302
    r = own.post(delete, {"version": "2"}, follow=True)
    assert "该服务日志" + STALE in r.content.decode()
    assert own.post(delete, {"version": "3"}).status_code == 302
    assert not ServiceLog.objects.filter(pk=log.pk).exists()
