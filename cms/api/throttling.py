"""Rate limits of the API: per client address for anonymous callers, per key for keys.

A rate is written ``<requests>/<period>``, the period being ``second``, ``minute``,
``hour`` or ``day`` (or ``s``, ``m``, ``h``, ``d``), e.g. ``600/minute``. Anonymous
clients share ``API_ANON_THROTTLE_RATE`` per address (``clients.client_address``); a
key has its own bucket at its ``rate`` or, when blank, ``API_DELIVERY_KEY_THROTTLE_RATE``
for delivery keys and ``API_KEY_THROTTLE_RATE`` for the others. A request with a bad
key is charged to its address's anonymous bucket.

Counting is a fixed window: one counter per bucket and window in the cache, raised by
an atomic increment (``SET NX EX`` + ``INCR`` in one Redis transaction, a locked
increment in local memory), so concurrent requests never pass more than the rate.
Over the limit: 429 with ``Retry-After`` (seconds to the next window). A cache that
is down lets requests through rather than failing them.
"""

import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import caching
from .clients import client_address

PERIODS = {
    **{"s": 1, "sec": 1, "second": 1},
    **{"m": 60, "min": 60, "minute": 60},
    **{"h": 3600, "hour": 3600},
    **{"d": 86400, "day": 86400},
}
_RATE = re.compile(r"(\d{1,9})/(" + "|".join(PERIODS) + ")")
KEY_PREFIX = "api:v1:throttle:"


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


@lru_cache(maxsize=64)
def parse_rate(value):
    """``value`` as a :class:`Rate`; None when empty (no limit). ValueError when malformed."""
    if value is None or not str(value).strip():
        return None
    match = _RATE.fullmatch(str(value).strip().lower())
    if not match or int(match[1]) < 1:
        raise ValueError(f"{value!r} is not a rate such as 600/minute.")
    return Rate(int(match[1]), PERIODS[match[2]])


def validate_rate(value):
    """Model and form validator of a rate."""
    try:
        parse_rate(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a rate: write requests/period, e.g. 600/minute (second, minute, hour or day)."),
            params={"value": value},
        ) from None


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    wait: int = 0  # seconds until the next window, when refused


ALLOWED = Outcome(True)


def hit(bucket, rate):
    """Count one request against ``bucket`` at ``rate``; whether it may go on."""
    if rate is None:
        return ALLOWED
    now = time.time()
    window = int(now // rate.seconds)
    count = increment(f"{KEY_PREFIX}{bucket}:{rate.seconds}:{window}", rate.seconds + 1)
    if count is None or count <= rate.requests:
        return ALLOWED
    return Outcome(False, max(1, math.ceil((window + 1) * rate.seconds - now)))


def increment(key, seconds):
    """Add 1 to the counter ``key``, created to expire after ``seconds``; None while the cache fails."""
    atomic = getattr(cache, "incr_window", None)
    if atomic is not None:
        return atomic(key, seconds)

    def add_and_increment():
        for _attempt in range(3):
            cache.add(key, 0, seconds)
            try:
                return cache.incr(key)
            except ValueError:  # expired between the two calls
                continue
        return None

    return caching.safely(add_and_increment, None)


def anonymous_rate():
    return parse_rate(getattr(settings, "API_ANON_THROTTLE_RATE", None))


def key_rate(api_key):
    if api_key.rate:
        return parse_rate(api_key.rate)
    name = "API_DELIVERY_KEY_THROTTLE_RATE" if api_key.is_delivery_key else "API_KEY_THROTTLE_RATE"
    return parse_rate(getattr(settings, name, None))


def check(request, api_key=None):
    """Count ``request`` in its bucket: the key's, or its address's when ``api_key`` is None."""
    if api_key is None:
        rate = anonymous_rate()
        return hit(f"ip:{client_address(request)}", rate) if rate is not None else ALLOWED
    return hit(f"key:{api_key.pk}", key_rate(api_key))
