"""The WSGI application: Django's handler, with the public vote's short lane in front (api/vote_lane.py)."""

import os

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import set_urlconf

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciweek.settings")
django.setup(set_prefix=False)

from sciweek.api import vote_lane  # noqa: E402 — needs the apps loaded


class SciweekWSGIHandler(WSGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self._vote_lane = vote_lane.lane_chain()

    def get_response(self, request):
        vote = vote_lane.lane_payload(request)
        if vote is None:
            return super().get_response(request)
        set_urlconf(settings.ROOT_URLCONF)
        request.vote_lane = vote
        request.resolver_match = vote_lane.LANE_MATCH
        response = self._vote_lane(request)
        response._resource_closers.append(request.close)
        return response


application = SciweekWSGIHandler()
