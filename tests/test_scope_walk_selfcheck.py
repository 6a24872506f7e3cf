"""The scope walk checks itself: a URL with no scope check, added to the project, makes it fail."""

from __future__ import annotations

from .test_scope_walk import Caller, _schema, _walk_unit_user


def _leaky_detail(request, campaign_id: int):
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    from sciweek.campaigns.models import Campaign

    @login_required
    def view(request):
        return HttpResponse(Campaign.objects.get(pk=campaign_id).title)

    return view(request)


def _leaky_list(request):
    from django.http import HttpResponse

    from sciweek.campaigns.models import Campaign

    return HttpResponse("、".join(Campaign.objects.values_list("title", flat=True)))


def leaky_urlconf():
    from django.urls import include, path

    return [
        path("leak/<int:campaign_id>/", _leaky_detail, name="leak_detail"),
        path("leak/", _leaky_list, name="leak_list"),
        path("", include("sciweek.urls")),
    ]


def test_the_walk_catches_a_url_without_a_scope_check(town1, pools, settings):
    import sys
    import types

    module = types.ModuleType("tests._leaky_urls")
    module.urlpatterns = leaky_urlconf()
    sys.modules["tests._leaky_urls"] = module
    settings.ROOT_URLCONF = "tests._leaky_urls"
    try:
        caller = Caller(town1)
        failures = _walk_unit_user(caller, pools, _schema(caller.client))
    finally:
        sys.modules.pop("tests._leaky_urls", None)
    assert any("/leak/" in f and "leak_detail" in f and "200" in f for f in failures), failures
    assert any(f.startswith("GET leak_list") for f in failures), failures
