"""Who is calling: the client's address, as far as the proxies in front can be trusted.

``X-Forwarded-For`` is written by whoever sends the request, so it only counts when
the peer that sent it is a proxy of ours. Two settings say which peers are (both from
the environment; the default trusts none, and the header is then ignored):

- ``TRUSTED_PROXY_NETWORKS`` (e.g. ``10.0.0.0/8,fd00::/8``): the header is read from
  the right, skipping addresses in these networks; the first address outside them is
  the client. A peer outside them is itself the client, whatever the header says.
- ``TRUSTED_PROXY_COUNT`` (e.g. ``1`` behind one load balancer): the client is the
  address that many hops from the right of the header.

Used by the API's throttle (``throttling.py``) and the admin's login lockout.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(configured):
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _address(value):
    """``value`` as an IP address, or None. Accepts ``[v6]`` and ``v4:port`` as proxies write them."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The client's IP address as a string (the peer's own when no proxy is trusted)."""
    meta = request.META
    peer = _address(meta.get("REMOTE_ADDR"))
    fallback = str(peer) if peer is not None else (meta.get("REMOTE_ADDR") or "unknown")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXY_NETWORKS", ()) or ()))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if not networks and count <= 0:
        return fallback
    hops = [_address(item) for item in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if networks:
        if not _trusted(peer, networks):
            return fallback
        for hop in reversed(hops):
            if not _trusted(hop, networks):
                return str(hop) if hop is not None else fallback
        return str(hops[0]) if hops and hops[0] is not None else fallback
    if not hops:
        return fallback
    chosen = hops[-min(count, len(hops))]
    return str(chosen) if chosen is not None else fallback
