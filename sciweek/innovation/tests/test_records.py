"""Visits with photos (EXIF time, content checks), commissioners' service logs (their own; tied to an
event of the week so the statistics count it once), project applications."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sciweek.innovation import services
from sciweek.innovation.figures import unit_service_figures_many
from sciweek.innovation.models import ServiceLog

from .conftest import Api


def jpeg(*, taken: str | None) -> bytes:
    image = Image.new("RGB", (64, 48), (30, 120, 60))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_visit_keeps_photos_with_the_time_they_were_taken(organizer, enterprise):
    visit = services.visit_create(actor=organizer, enterprise=enterprise, date="2023-05-22", visitors="陈曦",
                                  contact_confirmed=True, confirmed_by_name="王经理")  # fmt: skip
    p = services.photo_add(
        actor=organizer, upload=SimpleUploadedFile("a.jpg", jpeg(taken="2023:05:22 10:31:00")), visit=visit
    )
    assert timezone.localtime(p.taken_at).replace(tzinfo=None) == dt.datetime(2023, 5, 22, 10, 31)
    q = services.photo_add(actor=organizer, upload=SimpleUploadedFile("b.jpg", jpeg(taken=None)), visit=visit)
    assert q.taken_at is None
    with pytest.raises(ValidationError, match="照片"):
        services.photo_add(
            actor=organizer, upload=SimpleUploadedFile("c.jpg", b"%PDF-1.4 not a photo"), visit=visit
        )
    with pytest.raises(ValidationError) as exc:
        services.visit_create(
            actor=organizer, enterprise=enterprise, date="2099-01-01", visitors="", contact_confirmed=True
        )
    assert set(exc.value.message_dict) == {"date", "visitors", "confirmed_by_name"}


def test_a_commissioner_records_only_their_own_logs(organizer, town1, towns, experts, django_user_model):
    li = django_user_model.objects.create_user("tpy-li", password="x")
    experts["plant"].user = li
    experts["plant"].save()
    me = Api(li)
    body = {"unit_id": towns[1].pk, "date": "2023-05-21", "place_kind": "village", "place": "东风村", "kind": "onsite",
            "people_served": 30, "hours": 3, "topics": "小麦赤霉病防控现场指导"}  # fmt: skip
    r = me.post("service-logs", body)
    assert r.status_code == 201, r.content
    assert r.json()["expert_id"] == experts["plant"].pk
    r = me.post("service-logs", {**body, "expert_id": experts["mech"].pk})
    assert r.status_code == 404  # another expert's name: not theirs to use
    assert Api(town1).post("service-logs", body).status_code == 403
    assert [x["topics"] for x in me.get("service-logs?mine=true").json()] == ["小麦赤霉病防控现场指导"]
    with pytest.raises(ValidationError, match="不是科技特派员"):
        services.servicelog_create(actor=organizer, expert=experts["mech"], unit=towns[0], date="2023-05-21",
                                   place_kind="village", place="x", kind="onsite", topics="x")  # fmt: skip


def test_a_log_tied_to_an_event_of_the_week_is_counted_once(organizer, demo, towns, experts):
    from sciweek.events.models import Event

    start = timezone.make_aware(dt.datetime(2023, 5, 21, 9))
    event = Event.objects.create(campaign=demo.campaign, unit=towns[0], title="科技下乡", category="科普讲座", mode="offline",
                                 starts_at=start, ends_at=start + dt.timedelta(hours=3), venue="文化站")  # fmt: skip
    common = {"actor": organizer, "expert": experts["plant"], "unit": towns[0], "place_kind": "village", "place": "东风村",
              "kind": "onsite", "topics": "指导"}  # fmt: skip
    services.servicelog_create(**common, date="2023-05-21", people_served=40, event_id=event.pk)
    services.servicelog_create(**common, date="2023-05-22", people_served=25)
    with pytest.raises(ValidationError, match="不在 2023-05-23 举办"):
        services.servicelog_create(**common, date="2023-05-23", event_id=event.pk)
    with pytest.raises(ValidationError, match="不是示例镇二的活动"):
        services.servicelog_create(**{**common, "unit": towns[1]}, date="2023-05-21", event_id=event.pk)
    f = unit_service_figures_many([(demo.campaign.pk, towns[0].pk)])[(demo.campaign.pk, towns[0].pk)]
    assert f == {"commissioners": 1, "activities": 1, "people_offline": 25, "person_times": 2}
    assert ServiceLog.objects.count() == 2


def test_a_project_application_is_recorded(organizer, enterprise):
    app = services.application_create(actor=organizer, enterprise=enterprise, programme="科技型中小企业评价", level="national",
                                      year=2023, status="approved", amount="20")  # fmt: skip
    assert app.unit == enterprise.unit and str(app.amount) == "20.00"
    with pytest.raises(ValidationError) as exc:
        services.application_create(
            actor=organizer, enterprise=enterprise, programme="x", level="galactic", year=1900
        )
    assert set(exc.value.message_dict) == {"level", "year"}


def test_service_figures_add_to_the_events_figures_in_the_cross_check(organizer, demo, towns, experts):
    from decimal import Decimal

    from sciweek.reports.crosscheck import known_figures_many, register_batch_provider, unregister_provider
    from sciweek.reports.models import FormDefinition, Report

    report = Report.objects.create(campaign=demo.campaign, unit=towns[0], form=FormDefinition.objects.first())
    services.servicelog_create(actor=organizer, expert=experts["plant"], unit=towns[0], date="2023-05-22",
                               place_kind="village", place="东风村", kind="onsite", topics="指导", people_served=25)  # fmt: skip
    register_batch_provider("test-events")(
        lambda reports: {r.pk: {"events_held": (Decimal(3), "活动3场")} for r in reports}
    )
    try:
        figures = known_figures_many([report])[report.pk]
    finally:
        unregister_provider("test-events")
    assert figures["events_held"][0] == 4  # 3 events + 1 service not tied to an event
    assert "送技下乡" in figures["events_held"][1]
    assert figures["staff_scientists"][0] == 1


def test_the_entry_page_offers_events_plus_services_as_the_value_of_events_held(
    organizer, demo, towns, experts
):
    """Issue 17: the enterprise service's counts offer values to the statistics table, not only a
    cross-check; the value offered is the cross-check's own (events + services no event counts)."""
    from sciweek.reports.crosscheck import register_batch_provider, unregister_provider
    from sciweek.reports.models import FormDefinition, Report
    from sciweek.reports.suggestions import suggestions_for

    report = Report.objects.create(campaign=demo.campaign, unit=towns[0], form=FormDefinition.objects.first())
    services.servicelog_create(actor=organizer, expert=experts["plant"], unit=towns[0], date="2023-05-22",
                               place_kind="village", place="东风村", kind="onsite", topics="指导", people_served=25)  # fmt: skip
    register_batch_provider("test-events")(
        lambda reports: {r.pk: {"events_held": (Decimal(3), "活动3场")} for r in reports}
    )
    try:
        offered = suggestions_for(report)
    finally:
        unregister_provider("test-events")
    codes = set(report.form.rows.values_list("code", flat=True))
    assert "events_held" in codes and offered["events_held"].value == 4
    assert "活动3场" in offered["events_held"].source and "送技下乡" in offered["events_held"].source
    if "staff_scientists" in codes:
        assert offered["staff_scientists"].value == 1
