"""How a change reaches every process that serves the API.

A change is written to the invalidation log (``models.Invalidation``) in the same
transaction as the change itself, naming the tags it makes stale (``tags.py``) and the
pages whose public state may have changed. Every serving process (gunicorn workers,
``runserver``, a management command) applies each log row once:

1. it reads those pages again into its site index (``site_index.py``);
2. it notes the time of the row's timed tags (``Last-Modified``);
3. it gives each tag a new token in the cache (``caching.invalidate``), which makes
   every cached entry built with the old token a miss. With Redis the tokens are
   shared, so one process applying a row is enough (``caching.claim``); with the
   local-memory cache each process applies it to its own.

A process reads the log after its own commits (``transaction.on_commit``), at most
every ``API_CHANGE_POLL_SECONDS`` (0.2 s: a change committed anywhere is served
everywhere well within a second), and at once when the shared "latest change" value
in Redis differs from the one it last caught up with. Reading is cheap: one query on
an index when nothing changed.

On PostgreSQL, row ids do not follow commit order, so rows are read from a settled
position on (``cursors.py``), and rows committed out of order are applied as soon as
they are visible and remembered until they settle.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import Site

from . import caching
from .cursors import Cursor, settled_horizon, start_cursor, writing_xact
from .models import Invalidation, TagState
from .site_index import SiteIndex
from .tags import SITE, is_timed

logger = logging.getLogger(__name__)

# Sent once, in the process that made the change, after it commits: ``tags``, ``pages``
# and ``gone`` as given to :func:`record`. The CDN purge listens (``cms.delivery.cdn``).
changes_committed = Signal()


@dataclass
class _State:
    index: SiteIndex | None = None
    floor: Cursor | None = None  # every row at or before it is applied; None until the first read
    applied: set = field(default_factory=set)  # ids after the floor, applied
    tentative: set = field(default_factory=set)  # ids applied inside a transaction that may roll back
    suspects: set = field(default_factory=set)  # pages read from data that may roll back
    polled_at: float = float("-inf")
    hint: object = None
    applied_rows: int = 0
    generation: int = 0  # rows applied, tentatively or not: a change of it means tokens changed here


_state = _State()
_lock = threading.RLock()


def generation():
    """A number that changes whenever this process applies a row (or forgets its state)."""
    return id(_state), _state.generation


def poll_seconds():
    return getattr(settings, "API_CHANGE_POLL_SECONDS", 0.2)


def reset():
    """Forget this process's state (the index is built again on the next read)."""
    global _state
    with _lock:
        _state = _State()


def held_index():
    """The index this process holds, as it is (None before the first read): no lock, no log read."""
    return _state.index


def current_index():
    """The site index, built on first use and brought up to date with the log."""
    with _lock:
        if _state.index is None:
            _start()
            started = time.perf_counter()
            _state.index = SiteIndex.build()
            logger.info(
                "Site index built in %.0f ms: %s",
                (time.perf_counter() - started) * 1000,
                ", ".join(f"{name} {value}" for name, value in _state.index.stats().items()),
            )
        catch_up()
        due = _state.index.due(timezone.now())
        if due:
            _state.index.refresh(due)
        return _state.index


def stats():
    """What this process holds: the index's size, the rows it applied, where it stands in the log."""
    with _lock:
        index = _state.index.stats() if _state.index is not None else {"pages": 0, "tags": 0, "derived": 0, "bytes": 0}
        return {**index, "applied_rows": _state.applied_rows, "floor": str(_state.floor)}


# --- Writing ------------------------------------------------------------------------------


def record(tags, *, pages=(), gone=(), moment=None):
    """Log a change in the current transaction; every process applies it once it commits.

    Args:
        tags: the tags the change makes stale.
        pages: ids of pages whose public state (visible or not, title, path) may have changed.
        gone: ids of pages being deleted (written ``-<id>``: dropped without reading them).
        moment: when the change happened (now by default); the time of its timed tags.
    """
    tags = sorted(set(tags))
    if not tags:
        return None
    moment = moment or timezone.now()
    with transaction.atomic():
        row = Invalidation.objects.create(
            xact=writing_xact(),
            tags=" ".join(tags),
            pages=" ".join([*(str(pk) for pk in sorted(set(pages) - set(gone))), *(f"-{pk}" for pk in sorted(gone))]),
            created_at=moment,
        )
        TagState.objects.bulk_create([TagState(tag=tag, changed_at=moment) for tag in tags if is_timed(tag)])
    # This process serves the change at once; the commit makes it final (or a rollback
    # has the pages read again), and then every other process applies it too.
    with _lock:
        _apply(row.pk, tags, row.pages, moment, final=False)
    transaction.on_commit(lambda: catch_up(force=True), robust=True)
    transaction.on_commit(
        lambda: changes_committed.send(sender=Invalidation, tags=tags, pages=list(pages), gone=list(gone)),
        robust=True,
    )
    return row


# --- Reading ------------------------------------------------------------------------------


def catch_up(*, force=False, hint=None):
    """Apply the log rows this process has not applied yet.

    Without ``force``, reads the log at most every ``API_CHANGE_POLL_SECONDS``, or when
    ``hint`` (the shared latest-change value) differs from the last one seen.
    """
    now = time.monotonic()
    with _lock:
        if hint is not None and hint != _state.hint:
            force = True
            _state.hint = hint
        if not force and now - _state.polled_at < poll_seconds():
            return
        _state.polled_at = now
        try:
            if _state.floor is None:
                _start()
                return
            final = not connection.in_atomic_block
            rows = list(
                _after(_state.floor).order_by("xact", "id").values_list("id", "xact", "tags", "pages", "created_at")
            )
            for row_id, _xact, tags, pages, moment in rows:
                if row_id in _state.applied or (not final and row_id in _state.tentative):
                    continue
                _apply(row_id, tags.split(), pages, moment, final=final)
            if final:
                _settle(rows)
        except DatabaseError:
            logger.warning("Could not read the invalidation log; serving what this process knows.", exc_info=True)


def _start():
    """Start reading the log from now on: whatever is read from the database later
    already reflects every row before this point."""
    if _state.floor is None:
        _state.floor = start_cursor(Invalidation)
        _state.polled_at = time.monotonic()


def _after(cursor):
    from django.db.models import Q

    return Invalidation.objects.filter(Q(xact__gt=cursor.xact) | Q(xact=cursor.xact, id__gt=cursor.change_id))


def _apply(row_id, tags, pages, moment, *, final):
    page_ids = [int(pk) for pk in pages.split()] if pages else []
    gone = [-pk for pk in page_ids if pk < 0]
    page_ids = [pk for pk in page_ids if pk > 0]
    if SITE in tags:
        # Sites or locales changed: every path may differ. Rare; read everything again.
        Site.clear_site_root_paths_cache()
        _state.index = None
    if _state.index is not None:
        _state.index.refresh(page_ids)
        _state.index.forget(gone)
        _state.index.note_change(tags, moment)
    _state.generation += 1
    if final:
        _state.applied.add(row_id)
        _state.applied_rows += 1
        _reread_suspects()
        if caching.claim(row_id):
            _state.hint = caching.invalidate(tags, row_id)
    else:
        _state.tentative.add(row_id)
        _state.suspects.update(page_ids)
        _state.hint = caching.invalidate(tags, f"tentative-{row_id}")


def _reread_suspects():
    """Outside a transaction: read again the pages applied from data that might have rolled back."""
    if _state.suspects and _state.index is not None:
        _state.index.refresh(_state.suspects)
    _state.suspects.clear()
    _state.tentative.clear()


def _settle(rows):
    """Move the floor past the rows no transaction can still add to (see ``cursors.py``)."""
    if not rows:
        _reread_suspects()  # a rollback may have left pages to read again
        return
    horizon, _own = settled_horizon()
    for row_id, xact, *_rest in rows:
        if horizon is not None and xact >= horizon:
            break
        _state.floor = Cursor(xact, row_id)
        _state.applied.discard(row_id)
