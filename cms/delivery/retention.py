"""How long the change table and the webhook log keep their rows, and what a client
holding an older cursor is told.

The policy: a sync cursor used within ``SYNC_CURSOR_MIN_DAYS`` days (30 by default) is
always honoured. ``manage.py prune --changes-older-than N`` removes the change rows
older than N days, and refuses an N below that promise. It removes a prefix of the feed
(in the feed's (xact, id) order, up to the first row it keeps, and only rows of
finished transactions) and writes down where it ended (``FeedPrune``) in the same
transaction. A cursor before that point may have missed removed rows: the feed answers
it with 410 Gone, and the client starts a full sync again. So pruning can cost a
client a resync, never a silently missed change.

Webhook deliveries that are finished (delivered or failed) and older than their age
are removed; pending and retrying ones never are. The attempts they made stay counted
in ``/metrics``.
"""

from django.db import transaction
from django.db.models import Q

from cms.api.cursors import Cursor, settled_horizon

from .models import ContentChange, DeliveryStatus, FeedPrune, WebhookDelivery
from .webhooks.counts import remove_deliveries


class CursorExpired(Exception):
    """A cursor from before the oldest change the feed still holds."""


def floor():
    """The feed's floor: the position of the last row ever pruned, or None."""
    row = FeedPrune.objects.order_by("-xact", "-change_id").values_list("xact", "change_id").first()
    return Cursor(*row) if row else None


def check_cursor(position):
    """Raise :class:`CursorExpired` when rows after ``position`` have been pruned.

    Checked after the feed read its rows: a prune that committed in between is seen.
    """
    pruned_to = floor()
    if pruned_to is not None and position < pruned_to:
        raise CursorExpired(
            f"This cursor is older than the oldest change the feed keeps (changes are kept for at least "
            f"{min_days()} days). Start a full sync again: call without a cursor and replace what you hold."
        )


def min_days():
    from django.conf import settings

    return getattr(settings, "SYNC_CURSOR_MIN_DAYS", 30)


def _before(cursor):
    return Q(xact__lt=cursor.xact) | Q(xact=cursor.xact, id__lt=cursor.change_id)


def prune_changes(cutoff):
    """Remove change rows older than ``cutoff``, as a prefix of the feed; the number removed."""
    with transaction.atomic():
        doomed = ContentChange.objects.filter(changed_at__lt=cutoff)
        first_kept = (
            ContentChange.objects.filter(changed_at__gte=cutoff)
            .order_by("xact", "id")
            .values_list("xact", "id")
            .first()
        )
        if first_kept:
            doomed = doomed.filter(_before(Cursor(*first_kept)))
        horizon, _own = settled_horizon()
        if horizon is not None:
            doomed = doomed.filter(xact__lt=horizon)  # only rows of finished transactions
        last = doomed.order_by("-xact", "-id").values_list("xact", "id").first()
        if last is None:
            return 0
        # Everything up to the last doomed row goes, so the feed keeps no hole behind its floor.
        removed, _by_model = ContentChange.objects.filter(_before(Cursor(last[0], last[1] + 1))).delete()
        FeedPrune.objects.create(xact=last[0], change_id=last[1], rows=removed)
        return removed


def prune_deliveries(cutoff):
    """Remove finished webhook deliveries created before ``cutoff``; the number removed.

    Their attempts stay in the counts ``/metrics`` reports (``webhooks.counts``)."""
    finished = [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
    return remove_deliveries(WebhookDelivery.objects.filter(created_at__lt=cutoff, status__in=finished))
