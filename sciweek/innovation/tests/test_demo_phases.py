"""The demo's enterprise service follows the demo clock: visits and service logs once their day is over,
demands through their steps at their moments (matches and contracts only during the week); forward and
back, a second jump changing nothing, a visitor's own records left alone."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from sciweek.core import clock
from sciweek.demo import phases
from sciweek.demo.loader import load_demo
from sciweek.innovation import services
from sciweek.innovation.choices import Status
from sciweek.innovation.demo import DEMANDS, ENDS
from sciweek.innovation.models import Demand, DemandChange, Expert, Match, ServiceLog, Visit
from sciweek.innovation.panels import commissioner_figures, enterprise_figures
from sciweek.innovation.selectors import towns_of

pytestmark = pytest.mark.django_db
EARLY = {Status.COLLECTED, Status.REVIEWED, Status.MATCHING}


@pytest.fixture
def innovation_demo(settings):
    settings.DEMO_MODE = True
    phases.start_if_unset()  # 筹备, then the data
    loaded = load_demo(only={"企业创新服务"})
    yield loaded
    clock.forget()


def _week(campaign) -> tuple[dict, dict]:
    """What the activity panels show for the week (the bureau's view: every town)."""
    towns = towns_of(campaign.org_unit)
    return enterprise_figures(campaign, towns, public=False), commissioner_figures(campaign, towns)


def _ids() -> tuple:
    return tuple(
        sorted(model.objects.values_list("pk", flat=True))
        for model in (Visit, ServiceLog, DemandChange, Match)
    )


def _statuses() -> Counter:
    return Counter(Demand.objects.values_list("status", flat=True))


def test_the_enterprise_service_follows_the_phase(innovation_demo):
    campaign, bureau = innovation_demo.campaign, get_user_model().objects.get(username="sx-kjj")
    # 筹备 (5月19日): the visits of March–April, none of the week's; no service log; demands at most in
    # 匹配 (the week's steps are to come), so no match and no contract; the week's panels show nothing.
    assert Visit.objects.count() == 20 and not Visit.objects.filter(date__gte="2023-05-19").exists()
    assert not ServiceLog.objects.exists() and not Match.objects.exists()
    assert set(_statuses()) <= EARLY and Demand.objects.count() == len(DEMANDS)
    assert not Demand.objects.filter(contract_amount__isnull=False).exists()
    f, c = _week(campaign)
    assert (f["visits"], f["demands"], f["matches"], f["contracts"], c["person_times"]) == (0, 0, 0, 0, 0)
    # A visitor's own records at 筹备: a visit today, and a match confirmed for a demand in 匹配.
    enterprise = Demand.objects.filter(status=Status.MATCHING).first().enterprise
    own_visit = services.visit_create(
        actor=bureau, enterprise=enterprise, date=clock.localdate(), visitors="县科技局 访客"
    )
    demand = Demand.objects.filter(status=Status.MATCHING).order_by("pk").first()
    expert = Expert.objects.exclude(pk__in=Match.objects.values("expert_id")).filter(is_active=True).last()
    own_match = services.match_confirm(actor=bureau, demand=demand, kind="expert", target_id=expert.pk)

    phases.jump("week", actor=bureau)  # 5月20日 09:10: the week's first day is not over
    f, c = _week(campaign)
    assert (f["visits"], f["demands"], f["matches"], c["person_times"]) == (0, 0, 0, 0)

    phases.jump("report", actor=bureau)  # 5月30日 15:00: the week so far
    f, c = _week(campaign)
    assert f["visits"] == 10 and c["person_times"] == 39  # the logs of 5月20日–29日
    assert f["matches"] > 0 and f["contracts"] > 0
    statuses = _statuses()
    assert statuses[Status.SOLVED] == 2 and statuses[Status.TRACKING] == 3  # one solved on 5月30日 16:00
    signed = Demand.objects.filter(status__in=[Status.SIGNED, Status.TRACKING, Status.SOLVED])
    assert all(d.contract_amount and d.contract_number for d in signed)
    history = list(DemandChange.objects.filter(demand=signed.first()).values_list("to_status", "at"))
    assert [to for to, _at in history][:3] == [Status.COLLECTED, Status.REVIEWED, Status.MATCHING]
    assert all(at <= phases.phase("report").at for _to, at in history)
    ids = _ids()
    phases.jump("report", actor=bureau)  # again: nothing changes
    assert _ids() == ids

    phases.jump("prepare", actor=bureau)
    phases.jump("prepare", actor=bureau)
    assert set(_statuses()) <= EARLY and not Demand.objects.filter(contract_amount__isnull=False).exists()
    assert set(Match.objects.values_list("pk", flat=True)) == {own_match.pk}
    assert set(Visit.objects.filter(date__gte="2023-05-19").values_list("pk", flat=True)) == {own_visit.pk}
    assert not ServiceLog.objects.exists()

    phases.jump("after", actor=bureau)  # 6月2日: the whole week
    assert _statuses() == Counter(ENDS)
    f, c = _week(campaign)
    assert f["visits"] == 10 and c["person_times"] == 45  # the visitor's visit (5月19日) is not in the week
    assert Match.objects.filter(pk=own_match.pk).exists() and Visit.objects.filter(pk=own_visit.pk).exists()
