"""Where a reader of the change feed is, and how far it may safely read.

A row's id comes from a sequence when it is inserted, but transactions commit in any
order: transaction A can take id 10, transaction B id 11, B commits, a reader hands
out cursor 11, then A commits row 10 and nobody ever sees it. So on PostgreSQL each
row carries the id of the transaction that wrote it (``xact``), rows are read in
(xact, id) order, and a reader only goes as far as the oldest transaction of this
database still in flight: every transaction below it has committed or rolled back, so
no row can appear behind a cursor later. On SQLite one writer holds the database at a
time, so ids already follow commit order and ``xact`` stays 0.
"""

import re
from dataclasses import dataclass

from django.db import connection


class BadCursor(ValueError):
    """A cursor this feed did not hand out (mistyped, truncated or from elsewhere)."""


_CURSOR = re.compile(r"^(\d{1,19})-(\d{1,19})$")


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the change feed: after row ``change_id`` of transaction ``xact``."""

    xact: int = 0
    change_id: int = 0

    def __str__(self):
        return f"{self.xact}-{self.change_id}"

    @classmethod
    def parse(cls, text):
        match = _CURSOR.match(text or "")
        if not match:
            raise BadCursor(f"{text!r} is not a cursor this feed handed out; start again without one.")
        return cls(int(match[1]), int(match[2]))

    def rows_after(self, queryset):
        """Change rows after this position, oldest first, up to the settled horizon."""
        from django.db.models import Q

        after = Q(xact__gt=self.xact) | Q(xact=self.xact, id__gt=self.change_id)
        horizon, own_xact = settled_horizon()
        if horizon is not None and self.xact > horizon:
            # Handed out before the database was restored onto a server whose
            # transaction ids are lower (cms.backup): nothing after it would ever show.
            raise BadCursor(f"'{self}' is ahead of this feed (the content was restored); start again without one.")
        if horizon is not None:
            # Rows of our own open transaction are visible to us and final for us.
            settled = Q(xact__lt=horizon) | Q(xact=own_xact) if own_xact else Q(xact__lt=horizon)
            queryset = queryset.filter(settled)
        return queryset.filter(after).order_by("xact", "id")


def on_postgresql():
    return connection.vendor == "postgresql"


def writing_xact():
    """The id of the current transaction, to stamp on change rows it writes.

    Must run inside the transaction that writes the rows (an atomic block).
    """
    if not on_postgresql():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


_XID_WRAP = 2**32


def _full_xid(xid, reference):
    """The 64-bit id of a running transaction's 32-bit ``xid``, nearest ``reference``.

    Usually the transaction began before ``reference`` was read, but one that got its
    id in between (another session, an autovacuum worker) is just after it; it must
    not be taken for one 2**32 ids earlier, which would put the horizon in the past.
    """
    ahead = (xid - reference) % _XID_WRAP
    if ahead < _XID_WRAP // 2:
        return reference + ahead
    return reference - (_XID_WRAP - ahead)


def settled_horizon():
    """(oldest transaction still in flight, our own transaction if it wrote anything).

    Rows with ``xact`` below the horizon can no longer change. Only transactions of
    this database count: one left open in another database of the same server would
    otherwise hold the feed back. When this role may not see every session of the
    database (no pg_read_all_stats), the server-wide snapshot horizon is used instead,
    which is always safe. ``(None, None)`` on SQLite, where there is no horizon.
    """
    if not on_postgresql():
        return None, None
    with connection.cursor() as cursor:
        # Read the next id first: a transaction that gets its id after this line gets
        # a larger one, and one that had it before is still listed below if it runs.
        cursor.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,"
            " pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned()::text::bigint"
        )
        next_xid, server_horizon, own_xact = cursor.fetchone()
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh, even inside a long transaction
        cursor.execute(
            "SELECT backend_xid::text::bigint, query = '<insufficient privilege>'"
            " FROM pg_stat_activity WHERE datname = current_database()"
        )
        sessions = cursor.fetchall()
    if any(hidden for _xid, hidden in sessions):
        return server_horizon, own_xact
    running = [_full_xid(xid, next_xid) for xid, _hidden in sessions if xid is not None]
    return min([next_xid, *running]), own_xact


def start_cursor(log_model):
    """Where a reader of ``log_model`` (a table with ``xact`` and ``id``) starting now continues from.

    Everything committed before this call is reflected in pages read after it; any
    transaction still in flight has ``xact`` at or above the horizon and will be read
    as a change.
    """
    horizon, own_xact = settled_horizon()
    if horizon is None:
        last = log_model.objects.order_by("-id").values_list("id", flat=True).first()
        return Cursor(0, last or 0)
    if own_xact and own_xact == horizon:
        # This transaction is the oldest in flight and sees its own rows: everything up
        # to its last row is reflected, and any other writer's rows come after it.
        last = log_model.objects.filter(xact=own_xact).order_by("-id").values_list("id", flat=True).first()
        return Cursor(own_xact, last or 0)
    # Re-reading a change already reflected is harmless (an upsert is idempotent);
    # missing one is not, so the cursor errs early. (horizon - 1, 2**62) skips every
    # row of transactions below the horizon and keeps every row from the horizon on.
    return Cursor(horizon - 1, 2**62)
