"""Trimming the invalidation log and the tag times (``models.Invalidation``, ``TagState``).

A serving process reads the log from where it last stood, every
``API_CHANGE_POLL_SECONDS`` while it serves, and a process that starts reads from
"now". So log rows older than a few minutes are read by no one, except by a process
that served nothing for longer than the age given here: ``manage.py prune`` takes a
day at the least. Tag times only ever matter as the latest per tag, so older ones
go; the latest of each tag stays whatever its age.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from .cursors import settled_horizon
from .models import Invalidation, TagState

MIN_DAYS = 1


def prune_invalidations(cutoff):
    """``(log rows, tag times)`` removed, older than ``cutoff``."""
    with transaction.atomic():
        rows = Invalidation.objects.filter(created_at__lt=cutoff)
        horizon, _own = settled_horizon()
        if horizon is not None:
            rows = rows.filter(xact__lt=horizon)
        log_removed, _by_model = rows.delete()
        newer = TagState.objects.filter(tag=OuterRef("tag"), changed_at__gt=OuterRef("changed_at"))
        states_removed, _by_model = TagState.objects.filter(changed_at__lt=cutoff).filter(Exists(newer)).delete()
    return log_removed, states_removed
