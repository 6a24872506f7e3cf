"""The signed-in person of a request, typed as such.

``request.user`` is ``User | AnonymousUser``; behind ``login_required`` it is always a User, and
``signed_in(request)`` says so to the type checker (and refuses, should a view ever lose its guard).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def signed_in(request: HttpRequest) -> User:
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user
