"""Signing webhook deliveries with the Standard Webhooks scheme (https://www.standardwebhooks.com/).

Every delivery carries three headers, made with the ``standardwebhooks`` package:

- ``webhook-id``: the delivery's id, the same on every retry, so a receiver can drop a
  delivery it has already handled;
- ``webhook-timestamp``: when this attempt was sent (Unix seconds);
- ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``.

The secret is ``whsec_`` followed by the base64 of the key bytes; receivers verify with
any Standard Webhooks library and that string (see the README). A secret typed in
another form is stored as ``whsec_`` + the base64 of its UTF-8 bytes: the same key.
"""

import base64
import binascii
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER = "webhook-id", "webhook-timestamp", "webhook-signature"


def new_secret():
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def normalize_secret(secret):
    """``secret`` as a ``whsec_`` string: kept when it already is a valid one, else its bytes encoded."""
    secret = (secret or "").strip()
    if secret.startswith(SECRET_PREFIX):
        try:
            if base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True):
                return secret
        except (binascii.Error, ValueError):
            pass
    return SECRET_PREFIX + base64.b64encode(secret.encode()).decode()


def headers(secret, message_id, body, when=None):
    """The three signature headers for ``body`` (bytes) sent as ``message_id`` at ``when``."""
    when = when or datetime.now(UTC)
    signature = Webhook(normalize_secret(secret)).sign(message_id, when, body.decode())
    return {ID_HEADER: message_id, TIMESTAMP_HEADER: str(int(when.timestamp())), SIGNATURE_HEADER: signature}
