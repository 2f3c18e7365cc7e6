"""Django's Redis cache, made to fail soft: a Redis that is down or slow costs a miss, never a 500.

Everything that uses the cache goes through it: the API's responses and tag tokens,
the anonymous throttle's counters, Wagtail's site root paths and renditions. While
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
    "clear": None,
}

failure = {"since": None, "error": None}


class FailSoftRedisCache(RedisCache):
    def _soft(self, name, *args, **kwargs):
        try:
            result = getattr(super(), name)(*args, **kwargs)
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
