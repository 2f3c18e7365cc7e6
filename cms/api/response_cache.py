"""Cached answers, kept with what they were built from and served only while all of it holds.

An entry is a rendered page (shared by detail, sync and bundles) or a whole response.
It remembers its tags' tokens (``caching.py``), its ``Last-Modified`` and the moment
it stops being valid (the earliest expiry or go-live among what it shows). Usage::

    started = response_cache.begin()          # up to date with the log; before reading data
    entry = response_cache.fetch(key)         # None on a miss or when anything it shows changed
    ...render, collecting tags.Dependencies...
    entry = response_cache.store(key, body, deps, started)   # kept unless a change landed meanwhile
"""

import secrets
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.http import http_date

from . import caching, invalidation, tags
from .site_index import site_index

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def begin():
    """Apply the changes this process has not seen; the latest-change value to give :func:`store`."""
    latest = caching.latest_change()
    before = invalidation.generation()
    invalidation.catch_up(hint=latest)
    return latest if invalidation.generation() == before else caching.latest_change()


# Entries whose tokens this process found matching, by cache key: ``(stamp, latest)``.
# While the latest-change value is still ``latest``, no token has changed since
# (``caching.invalidate``), so a repeat read skips fetching the tokens.
_checked = {}
_CHECKED_LIMIT = 20_000

# The entries themselves, by cache key: ``(latest, entry)``, up to ``_KEPT_BYTES`` of
# bodies. While the latest-change value is still ``latest`` nothing an entry shows has
# changed, so a repeat read asks the cache only for that value, not for the entry.
_kept = {}
_kept_bytes = [0]
_KEPT_BYTES = 32 * 1024 * 1024


def fetch(key):
    """The entry under ``key`` if everything it was built from is unchanged and unexpired."""
    kept = _kept.get(key)
    if kept is not None:
        latest = caching.latest_change()
        before = invalidation.generation()
        invalidation.catch_up(hint=latest)
        if latest is not None and latest == kept[0] and invalidation.generation() == before:
            entry = kept[1]
            if entry["valid_until"] is None or timezone.now().timestamp() < entry["valid_until"]:
                return entry
        _kept_bytes[0] -= len(_kept.pop(key, (None, {"body": b""}))[1]["body"])
    found = caching.get_many([key, caching.LATEST_CHANGE_KEY])
    latest = found.get(caching.LATEST_CHANGE_KEY)
    if latest is None and key in found:
        latest = caching.first_change()
    before = invalidation.generation()
    invalidation.catch_up(hint=latest)
    entry = found.get(key)
    if entry is None or "stamp" not in entry:  # missing, or kept by an older release
        return None
    if entry["valid_until"] is not None and timezone.now().timestamp() >= entry["valid_until"]:
        return None
    # Trusted only if nothing was applied here since ``latest`` was read.
    seen = (entry["stamp"], latest) if latest is not None and invalidation.generation() == before else None
    if seen is not None and _checked.get(key) == seen:
        return entry
    if not caching.matches(entry["tokens"]):
        return None
    if seen is not None:
        if len(_checked) >= _CHECKED_LIMIT:
            _checked.clear()
        _checked[key] = seen
        _keep(key, latest, entry)
    return entry


def _keep(key, latest, entry):
    size = len(entry["body"])
    if _kept_bytes[0] + size > _KEPT_BYTES:
        _kept.clear()  # a bound on memory: the next read of each asks the cache again
        _kept_bytes[0] = 0
    _kept[key] = (latest, entry)
    _kept_bytes[0] += size


def make_entry(body, deps, **extra):
    """An entry for ``body`` built from ``deps`` (a ``tags.Dependencies``), not stored yet."""
    index = site_index()
    times = [*deps.times, *(index.tag_times[tag] for tag in deps.tags if tag in index.tag_times)]
    last_modified = max((moment for moment in times if moment is not None), default=index.latest or EPOCH)
    next_go_live = index.next_go_live()
    deps.until(next_go_live)
    tag_list = sorted(deps.tags)
    return {
        "body": body,
        "tags": tag_list,
        "surrogate_key": tags.header_value(tag_list, " "),
        "tokens": {},
        "stamp": None,
        "last_modified": int(last_modified.timestamp()),
        "last_modified_http": http_date(int(last_modified.timestamp())),
        "valid_until": deps.valid_until.timestamp() if deps.valid_until else None,
        **extra,
    }


def store(key, entry, deps, started):
    """Keep ``entry`` under ``key`` unless a change was applied since :func:`begin` returned ``started``."""
    if not caching.enabled() or key is None:
        return entry
    entry["tokens"] = caching.tokens(deps.tags)
    entry["stamp"] = secrets.token_hex(8)
    if caching.latest_change() != started:
        return entry  # rendered while something changed: serve it, keep nothing
    seconds = caching.timeout()
    if entry["valid_until"] is not None:
        seconds = min(seconds, max(1, int(entry["valid_until"] - timezone.now().timestamp())))
    caching.set_entry(key, entry, seconds)
    return entry
