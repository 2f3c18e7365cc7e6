"""Cursors: parsing, and reading 32-bit transaction ids of running sessions."""

import pytest

from cms.api.cursors import BadCursor, Cursor, _full_xid

WRAP = 2**32


@pytest.mark.parametrize(
    "xid, reference, expected",
    [
        (58_600, 58_610, 58_600),  # began before the reference was read
        (58_620, 58_610, 58_620),  # got its id just after: never 2**32 ids in the past
        (WRAP - 5, 3 * WRAP + 10, 3 * WRAP - 5),  # began before the 32-bit counter wrapped
        (3, 3 * WRAP - 2, 3 * WRAP + 3),  # got its id after the counter wrapped
    ],
)
def test_a_running_transaction_id_is_read_near_the_reference(xid, reference, expected):
    assert _full_xid(xid, reference) == expected


@pytest.mark.parametrize("text", ["", "12", "-1-2", "1-2-3", "a-b", "1" * 20 + "-1", None])
def test_cursors_the_feed_did_not_hand_out_are_refused(text):
    with pytest.raises(BadCursor, match="is not a cursor this feed handed out"):
        Cursor.parse(text)


def test_a_cursor_reads_back_as_written():
    assert Cursor.parse(str(Cursor(123, 456))) == Cursor(123, 456)
