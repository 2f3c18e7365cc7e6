"""Tag tokens in Django's cache: what makes a cached answer stale.

Every tag (``tags.py``) has a token in the cache. A cached entry remembers the tokens
of its tags as they were before it was rendered; applying a change gives each of its
tags a new token (:func:`invalidate`), so exactly the entries carrying one of them
stop matching and nothing else does. A token that was evicted is made anew, never
reused, so eviction can only cost a miss.

The cache is Django's ``default``: Redis with ``REDIS_URL`` (shared by every worker),
local memory otherwise. A cache that is down or slow never fails a read: each call
here returns "nothing cached" instead, logs once, and :func:`healthy` reports it.
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "api:v1:tag:"
LATEST_CHANGE_KEY = "api:v1:latest-change"
CLAIM_PREFIX = "api:v1:applied:"
CLAIM_SECONDS = 24 * 3600

_failure = {"since": None, "error": None}


def enabled():
    """Whether the API caches its output (``API_CACHE_ENABLED``; off only to measure)."""
    return getattr(settings, "API_CACHE_ENABLED", True)


def timeout():
    return getattr(settings, "API_CACHE_TIMEOUT", 3600)


def healthy():
    """``(True, None)``, or ``(False, "what failed")`` while the cache server fails."""
    from .cache_backend import failure

    for state in (_failure, failure):
        if state["since"] is not None:
            return False, state["error"]
    return True, None


def safely(operation, default):
    """``operation()``, or ``default`` when the cache fails (logged once until it is back)."""
    try:
        result = operation()
    except Exception as error:  # any backend's connection or timeout error
        if _failure["since"] is None:
            logger.warning("The cache is unavailable; serving uncached until it is back: %s", error)
            _failure["since"] = time.monotonic()
        _failure["error"] = f"{type(error).__name__}: {error}"
        return default
    if _failure["since"] is not None:
        logger.warning("The cache is back.")
        _failure["since"] = _failure["error"] = None
    return result


def get_many(keys):
    return safely(lambda: cache.get_many(keys), {})


def set_entry(key, value, seconds):
    safely(lambda: cache.set(key, value, seconds), None)


def token_key(tag):
    return TOKEN_PREFIX + tag


def _new_token():
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def tokens(tags):
    """``{tag: token}`` now; a tag without a token gets a fresh one."""
    keys = {token_key(tag): tag for tag in tags}
    found = get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        safely(lambda key=key: cache.add(key, _new_token(), None), None)
    if missing:
        found.update(get_many(missing))
    return {keys[key]: token for key, token in found.items()}


def matches(remembered):
    """Whether every tag still has the token an entry remembered."""
    if not remembered:
        return True
    current = get_many([token_key(tag) for tag in remembered])
    return all(current.get(token_key(tag)) == token for tag, token in remembered.items())


def invalidate(tags, change):
    """Give ``tags`` new tokens, then announce ``change`` as the latest one; returns the
    value announced.

    In that order, and with a value never announced before, a reader that saw the
    latest-change value ``L`` and then matching tokens knows its entry held at ``L``:
    ``response_cache.fetch`` trusts that until the value changes.
    """
    value = f"{change}.{secrets.token_hex(4)}"
    safely(lambda: cache.set_many({token_key(tag): _new_token() for tag in tags}, None), None)
    safely(lambda: cache.set(LATEST_CHANGE_KEY, value, None), None)
    return value


def latest_change():
    return safely(lambda: cache.get(LATEST_CHANGE_KEY), None)


def first_change():
    """The latest-change value where none was announced yet (a new or evicted cache): a
    value never used before, so that ``response_cache.fetch`` can trust it like any other."""
    safely(lambda: cache.add(LATEST_CHANGE_KEY, f"start.{secrets.token_hex(8)}", None), None)
    return latest_change()


def claim(row_id):
    """True for the first process to apply log row ``row_id`` to this cache (and while
    the cache fails: applying twice costs a miss, not applying serves stale)."""
    claimed = safely(lambda: cache.add(f"{CLAIM_PREFIX}{row_id}", 1, CLAIM_SECONDS), True)
    return claimed or not healthy()[0]
