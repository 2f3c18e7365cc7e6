"""Signing webhook bodies so receivers can trust them.

The signature is HMAC-SHA256, keyed with the endpoint's secret, over
``"{timestamp}.{body}"``. It travels in the ``X-Webhook-Signature`` header as
``t=<unix seconds>,v1=<hex digest>``. Signing the timestamp with the body lets a
receiver refuse replays of an old, captured request.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Webhook-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret, body, timestamp=None):
    """The header value for ``body`` (bytes) signed with ``secret`` at ``timestamp``."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret, body, header, *, now=None, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """True when ``header`` is a valid, recent signature of ``body``: what a receiver does."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        received = parts["v1"]
    except (AttributeError, KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received)
