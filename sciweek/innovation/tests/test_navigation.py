"""The link to /innovation/ for those with work there: the bureau, towns, commissioners; not others."""

from __future__ import annotations

from sciweek.innovation.navigation import has_innovation_work


def _links(client_for, user, path="/"):
    html = client_for(user).get(path).content.decode()
    return html.count('data-work-link="innovation"')


def test_the_bureau_towns_and_commissioners_see_the_link_others_do_not(
    client_for, organizer, town1, qxj, experts, django_user_model
):
    assert _links(client_for, organizer) == 1  # the navigation
    assert _links(client_for, organizer, "/manage/") == 2  # and the organizer's workbench
    assert _links(client_for, town1, "/my/") == 2  # the town's own page
    assert _links(client_for, qxj, "/my/") == 0  # a county department has no enterprises
    li = django_user_model.objects.create_user("tpy-li", password="x")
    experts["plant"].user = li
    experts["plant"].save()
    assert has_innovation_work(li)
    assert _links(client_for, li, "/events/mine/") == 1
    experts["mech"].user = django_user_model.objects.create_user("not-tpy", password="x")
    experts["mech"].save()  # an expert but not a commissioner: nothing to record
    assert not has_innovation_work(experts["mech"].user)
