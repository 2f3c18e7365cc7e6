"""Django's Redis cache, made to fail soft: a Redis that is down or slow costs a miss, never a 500.

Everything that uses the cache goes through it: the API's responses and tag tokens,
the throttle's counters, Wagtail's site root paths and renditions. While
Redis fails, reads return nothing, writes are dropped, a warning is logged once, and
:func:`cms.api.caching.healthy` reports the error (for a readiness check). After a
failure, calls skip Redis for ``RETRY_SECONDS`` instead of each waiting for a timeout
(a read makes a dozen cache calls), then one call tries again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_NOTHING = object()
# What each operation answers while Redis fails (None: the caller's default for get).
_FALLBACKS = {
    "get": _NOTHING,
    "get_many": {},
    "set": None,
    "set_many": [],
    "add": False,
    "touch": False,
    "delete": False,
    "delete_many": None,
    "has_key": False,
    "incr": _NOTHING,
    "incr_window": None,
    "clear": None,
}

RETRY_SECONDS = 1.0
failure = {"since": None, "error": None, "checked": 0.0}


class FailSoftRedisCache(RedisCache):
    def incr_window(self, key, seconds):
        """Add 1 to the counter ``key``, creating it with a ``seconds`` expiry, in one Redis
        transaction (``SET NX EX`` then ``INCR``): atomic however many workers count at once.
        None while Redis fails (the throttle then lets requests through)."""
        redis_key = self.make_and_validate_key(key)

        def count():
            with self._cache.get_client(redis_key, write=True).pipeline(transaction=True) as pipe:
                pipe.set(redis_key, 0, ex=seconds, nx=True)
                pipe.incr(redis_key)
                return pipe.execute()[1]

        return self._soft("incr_window", operation=count)

    def _soft(self, name, *args, operation=None, **kwargs):
        if failure["since"] is not None and time.monotonic() - failure["checked"] < RETRY_SECONDS:
            return _fallback(name, args, kwargs)
        try:
            result = operation() if operation else getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            if failure["since"] is None:
                logger.warning("Redis is unavailable; serving uncached until it is back: %s", error)
                failure["since"] = time.monotonic()
            failure["error"] = f"{type(error).__name__}: {error}"
            failure["checked"] = time.monotonic()
            return _fallback(name, args, kwargs)
        if failure["since"] is not None:
            logger.warning("Redis is back.")
            failure["since"] = failure["error"] = None
        return result


def _fallback(name, args, kwargs):
    fallback = _FALLBACKS[name]
    if fallback is not _NOTHING:
        return fallback
    if name == "incr":
        raise ValueError("The cache is unavailable.")
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _fail_soft(name):
    def method(self, *args, **kwargs):
        return self._soft(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _FALLBACKS:
    if _name not in FailSoftRedisCache.__dict__:
        setattr(FailSoftRedisCache, _name, _fail_soft(_name))
