"""Webhook attempts by outcome, counted from the delivery log.

Attempts are made by whichever process runs the task: a web worker (in-process
backend), an RQ worker, ``send_due_webhooks`` from cron. A counter in the process would
only ever be seen by that process's ``/metrics``; the log row of every attempt is in the
database, so ``/metrics`` (``cms.ops.metrics``) reads the counts from there at each
scrape, the same whichever process answers.

Each delivery's row says how many attempts it made and how the last one went; every
attempt before the last failed and was followed by a retry. So, per outcome (the status
an attempt left the delivery in):

- ``delivered``: deliveries delivered (their last attempt succeeded);
- ``failed``: deliveries that gave up (their last attempt failed, with no retry left);
- ``retrying``: every other attempt, a failure followed by a retry.

Rows removed from the log (``prune``, a deleted endpoint) add what they counted to
``RemovedDeliveries`` in the same transaction, so the totals never go back (Prometheus
reads a counter that goes back as a restart from zero).
"""

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

from ..models import DeliveryStatus, RemovedDeliveries, WebhookDelivery

OUTCOMES = (DeliveryStatus.DELIVERED, DeliveryStatus.RETRYING, DeliveryStatus.FAILED)


def attempts_by_outcome(deliveries):
    """``{outcome: attempts}`` made by the deliveries of the queryset ``deliveries``, and their number."""
    finished = [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
    figures = deliveries.order_by().aggregate(
        rows=Count("id"),
        delivered=Count("id", filter=Q(status=DeliveryStatus.DELIVERED)),
        failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        # Every attempt but a finished delivery's last.
        retrying=Coalesce(
            Sum(
                Case(
                    When(status__in=finished, then=Greatest(F("attempts") - 1, Value(0))),
                    default=F("attempts"),
                    output_field=IntegerField(),
                )
            ),
            0,
        ),
    )
    rows = figures.pop("rows")
    return {outcome: figures[outcome] for outcome in OUTCOMES}, rows


def attempt_totals():
    """``{outcome: attempts}`` ever made, by every process: the log's and those of removed rows."""
    counts, _rows = attempts_by_outcome(WebhookDelivery.objects.all())
    removed = RemovedDeliveries.objects.aggregate(**{outcome: Coalesce(Sum(outcome), 0) for outcome in OUTCOMES})
    return {outcome: counts[outcome] + removed[outcome] for outcome in OUTCOMES}


def remove_deliveries(deliveries):
    """Delete the deliveries of the queryset ``deliveries``, keeping their attempts in the
    totals; the number removed."""
    with transaction.atomic():
        if not _keep_counts(deliveries):
            return 0
        removed, _by_model = deliveries.delete()
    return removed


def keep_counts_of_endpoint(sender, instance, **kwargs):
    """``pre_delete`` of an endpoint, inside the deletion's transaction: its deliveries go with it."""
    _keep_counts(WebhookDelivery.objects.filter(endpoint=instance))


def _keep_counts(deliveries):
    counts, rows = attempts_by_outcome(deliveries)
    if rows:
        RemovedDeliveries.objects.create(deliveries=rows, **{str(outcome): n for outcome, n in counts.items()})
    return rows
