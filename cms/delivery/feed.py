"""The per-locale sync feed: a paged full sync, then changes since a cursor.

One ``cursor`` string carries a client through both phases. Without one, the feed
starts a full sync: every page the locale serves, in pages of ``limit``, ordered by
translation key (keyset paging, so pages added or removed meanwhile never shift
others out of view). The full sync remembers where the change feed stood when it
started, and its last page hands over a change cursor from that point: anything that
changed during the full sync is sent again as a change rather than lost.

A change row counts for a locale when it happened in that locale or in one the
locale falls back to; the feed then answers with what the locale serves now for that
key: an upsert (the page exactly as the API's detail endpoint returns it) or a
tombstone (nothing served any more).

Each clinic has its own feed (``?site=``, the Host, or the clinic of a bound key):
its pages in its locales, and only the change rows of pages in its Site's tree. A
library publish reaches it as rows of its clinic pages showing that library page
(``recording.py``), rendered merged with the clinic's fields.
"""

import re
import uuid
from dataclasses import dataclass, field

from cms.api import sites
from cms.api.cursors import BadCursor, Cursor, start_cursor

from .models import ContentChange
from .models.changes import in_site
from .retention import check_cursor
from .serving import fallback_chain, render, served_in, served_keys

_POSITION = r"\d{1,19}-\d{1,19}"
_KEY = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_FULL = re.compile(rf"^full\.({_POSITION})(?:\.({_KEY}))?$")
# Every cursor the feed hands out, and nothing else: the schema states it as a pattern.
CURSOR_PATTERN = rf"^(?:{_POSITION}|full\.{_POSITION}(?:\.{_KEY})?)$"


@dataclass
class SyncBatch:
    """One answer of the feed."""

    locale: str
    full_sync: bool
    cursor: str
    has_more: bool
    upserts: list = field(default_factory=list)  # rendered page bodies (bytes)
    tombstones: list = field(default_factory=list)  # translation keys (str)


def parse(cursor):
    """(change cursor, key the full sync is past, or None) for a client's cursor.

    Raises ``BadCursor`` for anything this feed did not hand out.
    """
    if cursor.startswith("full."):
        match = _FULL.match(cursor)
        if not match:
            raise BadCursor(f"{cursor!r} is not a cursor this feed handed out; start again without one.")
        after_key = uuid.UUID(match[2]) if match[2] else None
        return Cursor.parse(match[1]), after_key, True
    return Cursor.parse(cursor), None, False


def read(locale, cursor=None, limit=50):
    """The next batch of the feed for ``locale`` after ``cursor`` (None: start a full sync).

    Raises ``CursorExpired`` when changes after ``cursor`` were pruned (``retention.py``).
    """
    if cursor is None:
        return full_sync(locale, start_cursor(ContentChange), None, limit)
    position, after_key, in_full_sync = parse(cursor)
    batch = full_sync(locale, position, after_key, limit) if in_full_sync else changes(locale, position, limit)
    check_cursor(position)  # after reading: a prune committed meanwhile is seen
    return batch


def full_sync(locale, since, after_key, limit):
    keys = served_keys(locale, after_key, limit + 1)
    has_more = len(keys) > limit
    keys = keys[:limit]
    served = served_in(locale, keys)
    bodies = [render(served[key], locale) for key in keys if key in served]
    next_cursor = f"full.{since}.{keys[-1]}" if has_more else str(since)
    return SyncBatch(locale, True, next_cursor, has_more, upserts=bodies)


def changes(locale, since, limit):
    mine = in_site(ContentChange.objects.filter(locale__in=fallback_chain(locale)), sites.current())
    rows = list(since.rows_after(mine).values_list("xact", "id", "key")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return SyncBatch(locale, False, str(since), False)
    keys = list(dict.fromkeys(key for _xact, _id, key in rows))
    served = served_in(locale, keys)
    upserts = [render(served[key], locale) for key in keys if key in served]
    tombstones = [str(key) for key in keys if key not in served]
    last_xact, last_id, _key = rows[-1]
    return SyncBatch(locale, False, str(Cursor(last_xact, last_id)), has_more, upserts, tombstones)
