"""The demo's media reports follow the demo clock: none before the week, each from the morning it appeared,
confirmed the next morning; forward and back, a second jump changing nothing, a visitor's own left alone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.materials.demo import MEDIA
from sciweek.materials.media.services import media_report_save
from sciweek.materials.models import MediaOutlet, MediaReport, PublicitySubmission
from sciweek.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_demo(settings):
    settings.DEMO_MODE = True
    phases.start_if_unset()  # as `sciweek load_demo` does: the clock first (筹备), then the data
    loaded = load_demo(only={"宣传内容、展板与媒体报道"})
    yield loaded
    clock.forget()


def _state(campaign) -> dict[str, tuple[str, str | None]]:
    return {
        r.title: (r.status, r.confirmed_at and timezone.localtime(r.confirmed_at).strftime("%m-%d %H:%M"))
        for r in MediaReport.objects.filter(campaign=campaign)
    }


def _rows(campaign) -> list[tuple]:
    return sorted(MediaReport.objects.filter(campaign=campaign).values_list("pk", "status", "version"))


def test_the_media_reports_follow_the_phase(media_demo, client):
    campaign, organizer = media_demo.campaign, get_user_model().objects.get(username="sx-kjj")
    # 筹备 (5月19日): the week has not begun, so nothing has been reported on it yet.
    assert _state(campaign) == {}
    assert "科普大篷车开进乡村校园" not in client.get(f"/media/c/{campaign.pk}/").content.decode()
    # The publicity (all sent by 5月19日 09:05) is there at every phase.
    assert PublicitySubmission.objects.filter(campaign=campaign).count() == 4

    # A visitor registers a report of their own at 筹备 (a preview article): no jump touches it.
    own = media_report_save(
        actor=organizer,
        campaign=campaign,
        entered_by_unit=campaign.org_unit,
        unit=OrgUnit.objects.get(short_name="县科协"),
        outlet=MediaOutlet.objects.get(name="泗县发布"),
        title="科技活动周活动预告",
        published_on=clock.localdate(),
        url="https://example.org/preview",
    )

    phases.jump("week", actor=organizer)  # 5月20日 09:10: the launch report, not yet confirmed
    assert _state(campaign) == {
        "2023年泗县科技活动周启动": ("pending", None),
        "科技活动周活动预告": ("pending", None),
    }

    phases.jump("report", actor=organizer)
    state = _state(campaign)
    assert state.pop("科技活动周活动预告") == ("pending", None)
    assert state == {
        row.title: ("confirmed", f"05-{row.day + 1} 09:30") if row.confirmed else ("pending", None)
        for row in MEDIA
    }
    assert "科普大篷车开进乡村校园" in client.get(f"/media/c/{campaign.pk}/").content.decode()
    rows = _rows(campaign)
    phases.jump("report", actor=organizer)  # again: nothing changes
    assert _rows(campaign) == rows

    phases.jump("prepare", actor=organizer)
    phases.jump("prepare", actor=organizer)
    assert _state(campaign) == {"科技活动周活动预告": ("pending", None)}
    assert MediaReport.objects.get(pk=own.pk).version == own.version

    phases.jump("after", actor=organizer)
    assert len(_state(campaign)) == len(MEDIA) + 1
    assert MediaReport.objects.filter(campaign=campaign, status="confirmed").count() == 5
