"""Large events (五.4): from the threshold up, the safety plan and the permit number before approval;
the organizer's list shows expected against registered numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sciweek.events.large import event_safety_save
from sciweek.events.registration import registration_create
from sciweek.events.services import event_approve, event_create, event_submit
from sciweek.reports.tests.report_files import pdf_bytes

from .helpers import event_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(week, org, organizer):
    def make(scale: int):
        e = event_create(
            actor=organizer,
            campaign=week,
            unit=org("县气象局"),
            **event_fields(
                title=f"广场科普嘉年华{scale}", expected_scale=scale, registration_enabled=True, capacity=800
            ),
        )
        return event_submit(actor=organizer, event=e)

    return make


def test_a_large_event_needs_its_safety_plan_and_permit_before_approval(
    submitted, organizer, client_for, week
):
    event = submitted(3000)
    with pytest.raises(ValidationError, match="须先上传安全工作方案、安全许可文号才能通过审核"):
        event_approve(actor=organizer, event=event)
    c = client_for(organizer)
    page = c.get(f"/my/events/{event.pk}/").content.decode()
    assert 'id="large-event"' in page and "尚缺：安全工作方案、安全许可文号" in page
    listing = c.get(f"/manage/events/large/{week.pk}/").content.decode()
    assert "广场科普嘉年华3000" in listing and "尚缺安全工作方案、安全许可文号" in listing
    assert "大型活动缺安全材料" in c.get("/manage/").content.decode()
    # A file that is not what it says is refused by its content, in Chinese.
    r = c.post(
        f"/my/events/{event.pk}/safety/",
        {
            "permit_number": "泗公安许〔2023〕12号",
            "safety_plan": SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf"),
        },
        follow=True,
    )
    assert "安全工作方案" in r.content.decode()
    event.refresh_from_db()
    assert not event.safety_plan
    r = c.post(
        f"/my/events/{event.pk}/safety/",
        {
            "permit_number": "泗公安许〔2023〕12号",
            "safety_plan": SimpleUploadedFile("安全工作方案.pdf", pdf_bytes()),
        },
        follow=True,
    )
    assert "安全材料已保存" in r.content.decode()
    event.refresh_from_db()
    assert event.safety_plan and event.permit_number == "泗公安许〔2023〕12号"
    assert c.get(f"/my/events/{event.pk}/safety/plan/").status_code == 200
    event = event_approve(actor=organizer, event=event)
    assert event.status == "approved"
    registration_create(event=event, name="张伟", phone="13905571234", party_size=3)
    listing = c.get(f"/manage/events/large/{week.pk}/").content.decode()
    assert "3000" in listing and "3 / 800" in listing and "✓ 泗公安许〔2023〕12号" in listing


def test_below_the_threshold_nothing_more_is_asked(submitted, organizer, settings):
    assert event_approve(actor=organizer, event=submitted(999)).status == "approved"
    settings.SCIWEEK_LARGE_EVENT_SCALE = 500  # configurable
    with pytest.raises(ValidationError, match="大型群众性活动标准（500人）"):
        event_approve(actor=organizer, event=submitted(600))


def test_another_unit_cannot_file_or_read_the_safety_material(submitted, client_for, town1):
    event = submitted(3000)
    event_safety_save(
        actor="test", event=event, permit_number="X-1", upload=SimpleUploadedFile("a.pdf", pdf_bytes())
    )
    c = client_for(town1)
    assert c.post(f"/my/events/{event.pk}/safety/", {"permit_number": "hacked"}).status_code == 404
    assert c.get(f"/my/events/{event.pk}/safety/plan/").status_code == 404
    assert c.get(f"/manage/events/large/{event.campaign_id}/").status_code in (403, 404)


def test_what_a_large_event_lacks_is_listed_in_english_too(submitted, organizer, client_for, week):
    from django.utils import translation

    event = submitted(3000)
    c = client_for(organizer)
    c.cookies["django_language"] = "en"
    page = c.get(f"/my/events/{event.pk}/").content.decode()
    assert "Missing: Safety plan, Safety permit number" in page
    listing = c.get(f"/manage/events/large/{week.pk}/").content.decode()
    assert "Safety plan, Safety permit number" in listing and "安全工作方案" not in listing
    with translation.override("en"), pytest.raises(ValidationError, match="upload the Safety plan, Safety"):
        event_approve(actor=organizer, event=event)
