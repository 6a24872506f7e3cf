"""The bureau sets a selection up on a page; the public vote's weight is capped."""

from __future__ import annotations

from sciweek.orgs.models import OrgUnit, UnitKind
from sciweek.selections.models import NominatingUnit, Selection

from .factory import make_selection


def test_the_co_organizer_sets_up_a_selection_for_the_towns_and_societies(demo, client_for, unit):
    from django.contrib.auth import get_user_model

    kx = get_user_model().objects.get(username="sx-kx")  # 县科协 leads 四.4
    client = client_for(kx)
    page = client.get(f"/manage/campaigns/{demo.campaign.pk}/selections/").content.decode()
    assert "设立评选" in page and "2023年泗县最美科技工作者" in page
    nominators = OrgUnit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.DEVZONE, UnitKind.ASSOCIATION])
    r = client.post(
        f"/manage/campaigns/{demo.campaign.pk}/selections/",
        {
            "title": "2023年泗县最美科技工作者",
            "nominate_until": "2023-05-12T17:30",
            "default_quota": 2,
            "places": 10,
            "nominators": [u.pk for u in nominators],
        },
    )
    selection = Selection.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/manage/selections/{selection.pk}/"
    assert NominatingUnit.objects.filter(selection=selection).count() == nominators.count()
    assert selection.eligibility_rules  # the default rules, shown on the nomination form


def test_a_unit_cannot_set_one_up(demo, qxj, client_for):
    assert client_for(qxj).get(f"/manage/campaigns/{demo.campaign.pk}/selections/").status_code == 403


def test_the_public_weight_is_capped(demo, organizer, client_for):
    selection = make_selection(organizer, demo.campaign)
    body = {
        "version": selection.version,
        "enabled": "on",
        "vote_from": "2023-05-15T08:00",
        "vote_until": "2023-05-31T18:00",
        "votes_per_candidate_per_day": 1,
        "candidates_per_day": 10,
        "public_weight": "0.50",
    }
    r = client_for(organizer).post(f"/manage/selections/{selection.pk}/vote-rules/", body)
    assert "网络投票权重应在0至30%之间" in r.content.decode()
    r = client_for(organizer).post(
        f"/manage/selections/{selection.pk}/vote-rules/", {**body, "public_weight": "0.20"}
    )
    selection.refresh_from_db()
    assert r.status_code == 302 and selection.vote_enabled and str(selection.public_weight) == "0.20"
