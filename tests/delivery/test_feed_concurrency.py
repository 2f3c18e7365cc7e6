"""No change is missed when transactions commit out of order (PostgreSQL only).

These tests use real concurrent transactions, so they need PostgreSQL: run them with
DATABASE_URL=postgres://… . On SQLite one writer holds the database at a time, so ids
already follow commit order.
"""

import os
import random
import threading
import time

import pytest
from django.db import connection, transaction
from wagtail.models import Page

from cms.api.cursors import Cursor
from cms.delivery.models import ContentChange
from cms.delivery.recording import record

from .conftest import add_page

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs concurrent PostgreSQL transactions"
    ),
    pytest.mark.django_db(transaction=True),
]


def read_all(cursor, limit=7):
    """Drain the feed from ``cursor``: (row ids read, new cursor)."""
    seen = []
    while True:
        rows = list(cursor.rows_after(ContentChange.objects.all()).values_list("xact", "id")[:limit])
        if not rows:
            return seen, cursor
        seen += [row_id for _xact, row_id in rows]
        cursor = Cursor(*rows[-1])


def in_thread(target):
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_row_that_commits_after_a_later_row_is_still_delivered(treatments):
    """Transaction A takes the lower id but commits last: the feed waits for it."""
    page = Page.objects.get(pk=treatments.pk)
    _seen, cursor = read_all(Cursor())
    a_wrote, b_done, release_a = threading.Event(), threading.Event(), threading.Event()
    ids = {}

    def transaction_a():
        with transaction.atomic():
            ids["a"] = record("page.published", page)[0].pk
            a_wrote.set()
            release_a.wait(10)

    def transaction_b():
        with transaction.atomic():
            ids["b"] = record("page.published", page)[0].pk
        b_done.set()

    thread_a = in_thread(transaction_a)
    a_wrote.wait(10)
    thread_b = in_thread(transaction_b)
    b_done.wait(10)
    assert ids["a"] < ids["b"]

    early, cursor_while_a_open = read_all(cursor)
    # A plain "id > cursor" reader would hand out B's id now and skip A forever.
    assert early == []

    release_a.set()
    thread_a.join(10)
    thread_b.join(10)
    later, _cursor = read_all(cursor_while_a_open)
    assert sorted(later) == sorted([ids["a"], ids["b"]])


def test_no_change_is_missed_under_concurrent_publishing(home):
    pages = [add_page(home, f"Treatment {number}", f"treatment-{number}") for number in range(6)]
    _seen, cursor = read_all(Cursor())
    start = ContentChange.objects.order_by("-id").values_list("id", flat=True).first()
    writers_done = threading.Event()
    delivered = []

    def publisher(page_id):
        rng = random.Random(page_id)
        for _round in range(8):
            page = Page.objects.get(pk=page_id).specific
            revision = page.save_revision()
            with transaction.atomic():
                revision.publish()
                # Hold the transaction open a random while, so commits overtake each other.
                time.sleep(rng.uniform(0, 0.03))

    def reader():
        position = cursor
        while not writers_done.is_set():
            seen, position = read_all(position)
            delivered.extend(seen)
        seen, position = read_all(position)
        delivered.extend(seen)

    reader_thread = in_thread(reader)
    writers = [in_thread(lambda page_id=page.pk: publisher(page_id)) for page in pages]
    for writer in writers:
        writer.join(60)
    writers_done.set()
    reader_thread.join(60)

    committed = list(ContentChange.objects.filter(id__gt=start).values_list("id", flat=True))
    assert len(committed) == 6 * 8
    assert sorted(delivered) == sorted(committed), "every committed change is read exactly once"


def test_a_transaction_left_open_in_another_database_does_not_hold_the_feed_back(treatments):
    """Transaction ids are server-wide; only this database's open transactions count."""
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres"
    )
    try:
        other.execute("SELECT pg_current_xact_id()")  # an open transaction holding an older id
        page = Page.objects.get(pk=treatments.pk)
        _seen, cursor = read_all(Cursor())

        with transaction.atomic():
            written = record("page.published", page)[0].pk

        seen, _cursor = read_all(cursor)
        assert seen == [written]
    finally:
        other.rollback()
        other.close()
