"""Webhooks go to the public internet only, unless an operator says otherwise.

An endpoint's URL is checked twice:

- when it is saved (:func:`validate_webhook_url`, a form error): the scheme must be
  http or https, and the host, whether written as a name or as an address in any form
  (``127.1``, ``2130706433``, ``0x7f000001``, ``[::ffff:127.0.0.1]``), must not resolve
  to a loopback, private, shared, link-local, multicast, reserved or unspecified address;
- when a delivery is sent (:func:`guarded_session`): the address the socket actually
  connected to is checked the same way before a byte is written, so a name that
  resolves elsewhere later (DNS rebinding) is refused too. Redirects are not followed.

``WEBHOOK_ALLOWED_HOSTS`` (comma-separated host names, addresses or networks, e.g.
``hooks.internal,10.20.0.0/16``) lets an operator point at an internal receiver on purpose.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

SCHEMES = ("http", "https")


class BlockedAddress(Exception):
    """A webhook would have reached an address it must not reach."""


def kind_of_address(address):
    """Why ``address`` (an ip_address) is not public, as a short phrase; None when it is."""
    embedded = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    if isinstance(address, ipaddress.IPv6Address) and embedded is None:
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is None and address in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address in ipaddress.ip_network("::/96") and int(address) > 1:
            embedded = ipaddress.IPv4Address(int(address))  # the deprecated IPv4-compatible form
    if embedded is not None:
        return kind_of_address(embedded)
    for test, phrase in (
        ("is_unspecified", _("an unspecified address")),
        ("is_loopback", _("a loopback address")),
        ("is_link_local", _("a link-local address")),
        ("is_multicast", _("a multicast address")),
        ("is_reserved", _("a reserved address")),
        ("is_private", _("a private address")),
    ):
        if getattr(address, test):
            return phrase
    if not address.is_global:
        return _("a non-public address")
    return None


def allowed_entries():
    hosts, networks = set(), []
    for item in getattr(settings, "WEBHOOK_ALLOWED_HOSTS", ()) or ():
        item = item.strip().lower().strip("[]")
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.rstrip("."))
    return hosts, networks


def host_is_allowed(host):
    hosts, _networks = allowed_entries()
    return (host or "").lower().strip("[]").rstrip(".") in hosts


def address_is_allowed(address):
    _hosts, networks = allowed_entries()
    return any(address.version == network.version and address in network for network in networks)


def resolve(host, port):
    """Every address ``host`` resolves to (names and every numeric form libc reads)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos}, key=str)


def refusal(address, host):
    """The reason a connection to ``address`` (for ``host``) is refused, or None."""
    if host_is_allowed(host) or address_is_allowed(address):
        return None
    kind = kind_of_address(address)
    if kind is None:
        return None
    return _("%(host)s is %(address)s, %(kind)s; webhooks go to public addresses only.") % {
        "host": host,
        "address": address,
        "kind": kind,
    }


def validate_webhook_url(url):
    """The save-time check (a model field validator): http(s), and not an internal address."""
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        raise ValidationError(_("Enter a valid URL.")) from None
    if parts.scheme and parts.scheme.lower() not in SCHEMES:
        raise ValidationError(
            _("Webhooks are sent over http or https, not “%(scheme)s”."), params={"scheme": parts.scheme}
        )
    host = parts.hostname
    if not parts.scheme or not host:
        return  # not a URL at all: the URL field says so
    if host_is_allowed(host):
        return
    try:
        addresses = resolve(host, port or 443)
    except (OSError, UnicodeError):
        return  # not resolvable yet: the check when sending guards it
    for address in addresses:
        reason = refusal(address, host)
        if reason:
            raise ValidationError(reason)


def _check_peer(connection, sock):
    address = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
    reason = refusal(address, connection.host)
    if reason:
        sock.close()
        raise BlockedAddress(reason)
    return sock


class GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self):
        return _check_peer(self, super()._new_conn())


class GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self):
        return _check_peer(self, super()._new_conn())


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool,
            "https": GuardedHTTPSConnectionPool,
        }


def guarded_session():
    """A requests session that refuses internal peers and ignores proxy settings of the environment."""
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment would hide the real peer
    adapter = GuardedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
