"""The contest's figures under main activity 四.3 (campaigns' activity panels): the numbers are a recount
of the entries, per category group, and each viewer sees only the contests and schools in their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sciweek.campaigns.activity_panels import activity_kind, activity_panels
from sciweek.contests.entries import entry_veto
from sciweek.contests.figures import contest_figures
from sciweek.contests.models import Entry, Student

pytestmark = pytest.mark.django_db

S = Entry.Status


@pytest.fixture
def activity(demo):
    return demo.campaign.activities.get(number=3)  # 举办青少年科技创新大赛


def _panel(activity, user, *, public=False):
    panels = activity_panels(campaign=activity.campaign, activity=activity, user=user, public=public)
    assert len(panels) <= 1
    return panels[0] if panels else None


def _recount(contest, group=None, schools=None):
    """Straight from the entries, independently of the panel's single pass."""
    entries = Entry.objects.filter(contest=contest).exclude(status=S.DRAFT)
    if group is not None:
        entries = entries.filter(category__group=group)
    if schools is not None:
        entries = entries.filter(school__in=schools)
    counted = entries.exclude(status=S.VETOED)
    tutors = {(e.school_id, n) for e in counted for n in e.tutors}
    return {
        "entries": entries.count(),
        "submitted": entries.filter(status=S.SUBMITTED).count(),
        "qualified": entries.filter(status=S.QUALIFIED).count(),
        "vetoed": entries.filter(status=S.VETOED).count(),
        "students": Student.objects.filter(entry__in=counted).count(),
        "schools": counted.values("school").distinct().count(),
        "tutors": len(tutors),
    }


def _strip(row):
    return {k: v for k, v in row.items() if k != "label"}


def test_the_bureau_sees_every_group_as_a_recount_of_the_entries(contest, organizer, activity):
    assert activity_kind(activity) == "contests.contest"
    vetoed = contest.entries.filter(students__isnull=False).exclude(status=S.VETOED).first()
    entry_veto(entry=vetoed, reason="抄袭", actor="test")
    (c,) = _panel(activity, organizer).context["contests"]
    assert c["contest"] == contest and c["link"][1] == reverse("contests:detail", args=[contest.pk])
    assert _strip(c["total"]) == _recount(contest)
    assert c["total"]["vetoed"] >= 1
    # The same numbers the summary quotes (drafts and vetoed entries not counted there).
    figures = contest_figures(year=2023, root=contest.campaign.org_unit)
    assert figures["entries"] == c["total"]["entries"] - c["total"]["vetoed"]
    assert (figures["students"], figures["schools"], figures["tutors"]) == (
        c["total"]["students"], c["total"]["schools"], c["total"]["tutors"],
    )  # fmt: skip
    groups = {g["label"]: _strip(g) for g in c["groups"]}
    assert len(groups) >= 2
    assert groups == {g: _recount(contest, group=g) for g in groups}
    assert sum(g["entries"] for g in groups.values()) == c["total"]["entries"]
    assert set(contest.entries.values_list("category__group", flat=True)) == set(groups)


def test_a_school_sees_only_its_own_entries_and_others_nothing(contest, school_user, town1, qxj, activity):
    (c,) = _panel(activity, school_user).context["contests"]
    assert c["link"][1] == reverse("contests:entries", args=[contest.pk])
    assert c["scope"] == school_user.school.name
    assert _strip(c["total"]) == _recount(contest, schools=[school_user.school])
    assert c["total"]["entries"] < contest.entries.exclude(status=S.DRAFT).count()
    assert c["total"]["schools"] == 1
    assert _panel(activity, town1) is None  # a town's reporter: no contest role
    assert _panel(activity, qxj) is None  # a county department's reporter likewise
    assert _panel(activity, None, public=True) is None  # the portal links 公示 / 公布 instead


def test_the_city_looking_at_the_county_sees_it_without_the_organizers_link(contest, city, activity):
    (c,) = _panel(activity, city).context["contests"]
    assert _strip(c["total"]) == _recount(contest)


def test_the_activity_page_shows_the_figures_to_each_in_scope(
    contest, organizer, school_user, town1, activity, client_for
):
    url = reverse("campaigns:activity_detail", args=[activity.campaign_id, activity.pk])
    total = _recount(contest)
    page = client_for(organizer).get(url).content.decode()
    assert "青少年科技创新大赛报名情况" in page
    assert f'data-figure="entries">{total["entries"]}<' in page
    assert f'data-figure="students">{total["students"]}<' in page
    assert f'href="{reverse("contests:detail", args=[contest.pk])}"' in page
    mine = _recount(contest, schools=[school_user.school])
    page = client_for(school_user).get(url).content.decode()
    assert f'data-figure="entries">{mine["entries"]}<' in page
    assert f'data-figure="entries">{total["entries"]}<' not in page
    assert f'href="{reverse("contests:detail", args=[contest.pk])}"' not in page
    assert f'href="{reverse("contests:entries", args=[contest.pk])}"' in page
    assert "青少年科技创新大赛报名情况" not in client_for(town1).get(url).content.decode()
    edit = reverse("campaigns:activity_edit", args=[activity.campaign_id, activity.pk])
    assert f'data-figure="entries">{total["entries"]}<' in client_for(organizer).get(edit).content.decode()


def test_in_english_the_panel_speaks_english(contest, organizer, activity, client_for):
    url = reverse("campaigns:activity_detail", args=[activity.campaign_id, activity.pk])
    c = client_for(organizer)
    page = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if "青少年科技创新大赛报名情况" in page:  # the site may pin its language by cookie instead
        c.cookies["django_language"] = "en"
        page = c.get(url).content.decode()
    assert "青少年科技创新大赛报名情况" not in page and "参赛学生（人）" not in page
