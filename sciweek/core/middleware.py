from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from .audit import current_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _trusted(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spec if s.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for rate limits, the login lockout and the audit log.

    X-Forwarded-For is anyone's to write: it counts only when the connection comes from one of the
    reverse proxies in SCIWEEK_TRUSTED_PROXIES (addresses or networks). Then the header is read
    from its right end (the hop our proxy appended) leftwards, skipping our own proxies, and the
    first address not ours is the client. Otherwise REMOTE_ADDR, whatever the header says."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted(tuple(settings.SCIWEEK_TRUSTED_PROXIES))
    if not remote or not networks or not _is_trusted(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a forged or garbled entry: stop at what we know
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else remote


def axes_client_ip(request: HttpRequest) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address as everywhere else."""
    return client_ip(request) or ""


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            # PostgreSQL text cannot hold NUL: refuse it at the door (400) rather than fail deep inside a
            # query (500), for every filter of every page and API. A substring test costs nothing.
            raise BadRequest("NUL in the query string")
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
