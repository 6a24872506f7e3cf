"""Updating an existing campaign from a re-imported notice reaches its main activities, requirements'
deadlines and statistics form: a preview the organizer confirms, one transaction, audited; an activity
that events point at is never deleted; reports already filled keep their form version untouched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.campaigns.models import Campaign, MainActivity
from sciweek.core.models import AuditEvent
from sciweek.reports.models import FormRow, Report
from sciweek.reports.tests.stats_data import put_report
from sciweek.summary.tests.summary_data import add_event

from .notice_import_pages import form_data
from .test_notice_import_flow import review_page
from .test_notice_reimport import _seed_path, confirm_code  # noqa: F401  (the fixture applies here too)


@pytest.fixture
def changed(demo, unit):
    """The existing campaign drifted from the notice: one activity renamed, two added (one with an
    event), a deadline moved, a form row relabelled with a unit's filled report on it."""
    campaign = demo.campaign
    second = campaign.activities.get(number=2)
    MainActivity.objects.filter(pk=second.pk).update(title="旧的活动名称")
    spare = MainActivity.objects.create(campaign=campaign, number=7, title="额外活动甲")
    used = MainActivity.objects.create(campaign=campaign, number=8, title="额外活动乙")
    event = add_event(campaign, unit("县科协"), "额外活动乙的讲座", photo=False)
    event.main_activity = used
    event.save(update_fields=["main_activity"])
    req = campaign.requirements.order_by("due_at").first()
    seed_due = req.due_at
    campaign.requirements.filter(pk=req.pk).update(due_at=seed_due - dt.timedelta(days=2))
    form = campaign.forms.get(is_current=True)
    row = form.rows.order_by("order").first()
    FormRow.objects.filter(pk=row.pk).update(label="旧指标名称")
    report = put_report(campaign, unit("县气象局"), {row.code: 7}, status="submitted")
    return {
        "second": second,
        "spare": spare,
        "used": used,
        "req": req,
        "seed_due": seed_due,
        "form": form,
        "row": row,
        "report": report,
    }


def _post(c, url, data, demo, confirm=""):
    extra = {"confirm": confirm} if confirm else {}
    return c.post(url, {**data, "identity": f"update:{demo.campaign.pk}", **extra})


def test_the_preview_lists_every_kind_of_change_and_nothing_changes_before_confirming(
    client_for, organizer, demo, changed
):
    c = client_for(organizer)
    url, html = review_page(c)
    r = _post(c, url, form_data(html), demo)
    page = r.content.decode()
    assert r.status_code == 200 and 'id="update-preview"' in page
    assert 'data-change="changed"' in page and "旧的活动名称" in page  # activity 2: its title
    assert 'data-change="removed"' in page and "额外活动甲" in page
    assert 'data-change="kept"' in page and "但已有活动1条关联，不删除" in page  # the event
    assert timezone.localtime(changed["seed_due"]).strftime("%Y-%m-%d %H:%M") in page
    assert "旧指标名称" in page and "将保存为新版本" in page
    assert MainActivity.objects.filter(pk=changed["spare"].pk).exists()
    assert MainActivity.objects.get(pk=changed["second"].pk).title == "旧的活动名称"
    assert demo.campaign.forms.count() == 1


def test_confirming_applies_activities_deadlines_and_a_new_form_version_in_one_go(
    client_for, organizer, demo, changed
):
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    r = _post(c, url, data, demo)
    r = _post(c, url, data, demo, confirm_code(r))
    assert r.status_code == 302, r.content.decode()[:3000]
    campaign = Campaign.objects.get(pk=demo.campaign.pk)
    titles = dict(campaign.activities.values_list("number", "title"))
    assert titles[2] != "旧的活动名称" and len(titles) == 7  # the notice's six and the one in use
    assert not MainActivity.objects.filter(pk=changed["spare"].pk).exists()
    kept = MainActivity.objects.get(pk=changed["used"].pk)
    assert kept.number == 8 and kept.events.count() == 1
    assert campaign.requirements.get(pk=changed["req"].pk).due_at == changed["seed_due"]
    # the form: a new current version; the filled report keeps the old one, values untouched
    current = campaign.forms.get(is_current=True)
    assert current.version == 2 and current.rows.filter(label="旧指标名称").count() == 0
    report = Report.objects.get(pk=changed["report"].pk)
    assert report.form_id == changed["form"].pk
    assert report.values.get(row_code=changed["row"].code).value == 7
    assert changed["form"].rows.filter(label="旧指标名称").exists()
    entry = AuditEvent.objects.filter(action="notice_import.update").latest("pk")
    assert {a["change"] for a in entry.after["changes"]["activities"]} == {"changed", "removed", "kept"}
    assert entry.after["changes"]["rows"] and entry.after["done"]["form"]
    assert AuditEvent.objects.filter(action="activity.delete").count() == 1
    assert AuditEvent.objects.filter(action="form.new_version").exists()


def test_a_change_between_preview_and_confirmation_shows_a_new_preview_and_keeps_the_activity(
    client_for, organizer, demo, unit, changed
):
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    old_code = confirm_code(_post(c, url, data, demo))
    # meanwhile a unit attaches an event to the activity the preview would delete
    late = add_event(demo.campaign, unit("县气象局"), "后来登记的活动", photo=False)
    late.main_activity = changed["spare"]
    late.save(update_fields=["main_activity"])
    r = _post(c, url, data, demo, old_code)
    page = r.content.decode()
    assert r.status_code == 200 and "更新内容在您确认后已有变化" in page
    assert MainActivity.objects.get(pk=changed["second"].pk).title == "旧的活动名称"  # nothing applied
    new_code = confirm_code(r)
    assert new_code != old_code and page.count("不删除") == 2
    r = _post(c, url, data, demo, new_code)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert MainActivity.objects.filter(pk=changed["spare"].pk).exists()  # refused to delete: in use
    assert not AuditEvent.objects.filter(action="activity.delete").exists()


def test_an_unchanged_form_gets_no_new_version(client_for, organizer, demo):
    c = client_for(organizer)
    url, html = review_page(c)
    data = form_data(html)
    r = _post(c, url, data, demo)
    assert 'id="preview-rows"' not in r.content.decode()
    assert _post(c, url, data, demo, confirm_code(r)).status_code == 302
    assert demo.campaign.forms.count() == 1
