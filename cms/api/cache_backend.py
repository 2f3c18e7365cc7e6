"""Django's Redis cache, made to fail soft: a Redis that is down or slow costs a miss, never a 500.

Everything that uses the cache goes through it: the API's responses and tag tokens,
the throttle's counters, Wagtail's site root paths and renditions. While
Redis fails, reads return nothing, writes are dropped, a warning is logged once, and
:func:`cms.api.caching.healthy` reports the error (for a readiness check).
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

failure = {"since": None, "error": None}


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
        try:
            result = operation() if operation else getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            if failure["since"] is None:
                logger.warning("Redis is unavailable; serving uncached until it is back: %s", error)
                failure["since"] = time.monotonic()
            failure["error"] = f"{type(error).__name__}: {error}"
            fallback = _FALLBACKS[name]
            if fallback is _NOTHING:
                if name == "incr":
                    raise ValueError("The cache is unavailable.") from error
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            return fallback
        if failure["since"] is not None:
            logger.warning("Redis is back.")
            failure["since"] = failure["error"] = None
        return result

    def get(self, *args, **kwargs):
        return self._soft("get", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._soft("get_many", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._soft("set", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._soft("set_many", *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._soft("add", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._soft("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._soft("delete", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._soft("delete_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._soft("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._soft("incr", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._soft("clear", *args, **kwargs)
