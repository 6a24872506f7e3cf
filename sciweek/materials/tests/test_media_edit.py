"""A unit corrects and deletes its media reports on a page (not only through the API); the bureau
withdraws a confirmation with a reason first. Version-checked, audited, scope-checked, closed campaigns
read-only."""

from __future__ import annotations

import pytest

from sciweek.campaigns.models import Campaign
from sciweek.core.models import AuditEvent
from sciweek.materials.models import MediaReport

from .test_media_suggestions import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(demo, qxj, organizer, unit):
    """县气象局's reports: one confirmed, one pending."""
    return registry(demo.campaign, unit("县气象局"), qxj, organizer, confirmed=1, pending=1, outlets=1)


def _form(r, **changes):
    data = {
        "version": r.version,
        "outlet": r.outlet_id,
        "title": r.title,
        "published_on": r.published_on.isoformat(),
        "url": r.url,
        "kind": r.kind,
    }
    data.update(changes)
    return data


def test_the_unit_lists_its_reports_with_links_to_edit(client_for, qxj, demo, two):
    body = client_for(qxj).get(f"/my/media/{demo.campaign.pk}/").content.decode()
    confirmed, pending = two
    assert (
        f'href="/my/media/report/{pending.pk}/"' in body
        and f'href="/my/media/report/{confirmed.pk}/"' in body
    )
    page = client_for(qxj).get(f"/my/media/report/{pending.pk}/").content.decode()
    assert 'id="media-edit-form"' in page and 'id="media-delete"' in page
    page = client_for(qxj).get(f"/my/media/report/{confirmed.pk}/").content.decode()
    assert 'id="media-locked"' in page and 'id="media-edit-form"' not in page


def test_an_edit_is_version_checked_audited_and_goes_back_to_pending(client_for, qxj, demo, two, organizer):
    _, pending = two
    c = client_for(qxj)
    r = c.post(f"/my/media/report/{pending.pk}/", _form(pending, title="更正的标题", reach="1200"))
    assert r.status_code == 302 and r["Location"].endswith(
        f"/my/media/{demo.campaign.pk}/?unit={pending.unit_id}"
    )
    fresh = MediaReport.objects.get(pk=pending.pk)
    assert fresh.title == "更正的标题" and fresh.reach == 1200 and fresh.version == pending.version + 1
    event = AuditEvent.objects.filter(action="media.report_save", object_id=str(pending.pk)).first()
    assert event.actor == qxj and event.before["title"] != event.after["title"]
    # A second editor holding the old version loses nothing silently: refused, with the reason.
    body = c.post(f"/my/media/report/{pending.pk}/", _form(pending, title="旧页面上的修改")).content.decode()
    assert "已被" in body or "刷新" in body
    assert MediaReport.objects.get(pk=pending.pk).title == "更正的标题"
    # A blank title names the field.
    body = c.post(f"/my/media/report/{pending.pk}/", _form(fresh, title="")).content.decode()
    assert "请填写报道标题。" in body


def test_a_confirmed_report_is_neither_edited_nor_deleted_until_the_bureau_withdraws_it(
    client_for, qxj, organizer, demo, two
):
    confirmed, _ = two
    c, boss = client_for(qxj), client_for(organizer)
    body = c.post(f"/my/media/report/{confirmed.pk}/", _form(confirmed, title="改一改")).content.decode()
    assert "报道已确认，不能再修改" in body
    c.post(f"/my/media/report/{confirmed.pk}/delete/", {"version": confirmed.version})
    assert MediaReport.objects.filter(pk=confirmed.pk).exists()
    # The unit cannot withdraw; the bureau must give a reason.
    assert c.post(
        f"/manage/media/report/{confirmed.pk}/withdraw/", {"version": confirmed.version, "reason": "x"}
    ).status_code in (403, 404)
    boss.post(f"/manage/media/report/{confirmed.pk}/withdraw/", {"version": confirmed.version, "reason": " "})
    assert MediaReport.objects.get(pk=confirmed.pk).status == "confirmed"
    boss.post(
        f"/manage/media/report/{confirmed.pk}/withdraw/", {"version": confirmed.version, "reason": "单位填错"}
    )
    fresh = MediaReport.objects.get(pk=confirmed.pk)
    assert fresh.status == "pending" and fresh.reject_reason == "单位填错" and fresh.confirmed_by is None
    assert AuditEvent.objects.filter(action="media.report_withdraw", actor=organizer).exists()
    # Now the unit deletes it (version-checked, audited).
    r = c.post(f"/my/media/report/{confirmed.pk}/delete/", {"version": fresh.version - 1})
    assert MediaReport.objects.filter(pk=confirmed.pk).exists()
    r = c.post(f"/my/media/report/{confirmed.pk}/delete/", {"version": fresh.version})
    assert r.status_code == 302 and not MediaReport.objects.filter(pk=confirmed.pk).exists()
    assert AuditEvent.objects.filter(action="media.report_delete", actor=qxj).exists()


def test_the_bureau_corrects_a_pending_report_and_other_units_see_nothing(
    client_for, organizer, town1, demo, two
):
    _, pending = two
    # Another unit of the county: 403 (in the campaign's scope, not its report). (The city's reviewers
    # above the county review it like the county's, as for confirming: reports.can_review.)
    c = client_for(town1)
    assert c.get(f"/my/media/report/{pending.pk}/").status_code == 403
    assert c.post(f"/my/media/report/{pending.pk}/", _form(pending, title="x")).status_code == 403
    assert c.post(f"/my/media/report/{pending.pk}/delete/", {"version": pending.version}).status_code == 403
    assert c.get(f"/my/media/report/{pending.pk + 1000}/").status_code == 404
    assert MediaReport.objects.get(pk=pending.pk).title == pending.title
    boss = client_for(organizer)
    assert (
        f"/my/media/report/{pending.pk}/" in boss.get(f"/manage/media/{demo.campaign.pk}/").content.decode()
    )
    r = boss.post(f"/my/media/report/{pending.pk}/", _form(pending, title="局里更正"))
    assert r.status_code == 302 and r["Location"].endswith(f"/manage/media/{demo.campaign.pk}/")
    assert MediaReport.objects.get(pk=pending.pk).title == "局里更正"


def test_a_closed_campaign_is_read_only(client_for, qxj, organizer, demo, two):
    confirmed, pending = two
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.CLOSED)
    c = client_for(qxj)
    body = c.post(f"/my/media/report/{pending.pk}/", _form(pending, title="关闭后")).content.decode()
    assert "只能查看" in body
    c.post(f"/my/media/report/{pending.pk}/delete/", {"version": pending.version})
    client_for(organizer).post(
        f"/manage/media/report/{confirmed.pk}/withdraw/", {"version": confirmed.version, "reason": "晚了"}
    )
    assert MediaReport.objects.filter(pk=pending.pk, title=pending.title).exists()
    assert MediaReport.objects.get(pk=confirmed.pk).status == "confirmed"
    assert "只能查看" in c.post(f"/my/media/{demo.campaign.pk}/", {"title": "新的"}).content.decode()
