"""Who is behind a request: the signed-in staff member, and the client's address."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from kefu.core.models import User

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def request_user(request: HttpRequest) -> User:
    """The request's user, typed; ``login_required`` or the API's auth guarantees one."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (guaranteed by the callers' guards)
    return user


def _address(text: str) -> IPAddress | None:
    """An IP address from a header hop: ``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``, ``::1``."""
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the client behind ``request``, for per-address limits.

    ``REMOTE_ADDR``, unless the peer is one of ``KEFU_TRUSTED_PROXIES``: then
    ``KEFU_TRUSTED_PROXY_HEADER`` is read from the nearest hop outwards, and
    the first address that is not a trusted proxy is the client's. Hops
    further out were written by the client and may be forged, so they are
    never believed; a hop that is not an address stops the walk at the last
    trusted one.
    """
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    header = settings.KEFU_TRUSTED_PROXY_HEADER
    proxies = [ipaddress.ip_network(item, strict=False) for item in settings.KEFU_TRUSTED_PROXIES]

    def trusted(address: IPAddress) -> bool:
        return any(address in network for network in proxies)

    if not header or not trusted(peer):
        return str(peer)
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    hops = [hop for hop in request.META.get(meta_key, "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not trusted(address):
            break
    return str(client)
