"""Turning committed changes into webhook deliveries, one per endpoint and locale."""

import json
import logging

from django.utils import timezone

from ..models import WebhookDelivery, WebhookEndpoint
from .tasks import deliver_webhook

logger = logging.getLogger(__name__)


def payload(row, locale):
    """What a receiver gets: enough to refetch (key, locale) or rebuild one path."""
    return {
        "event": row.event,
        "key": str(row.key),
        "locale": locale,
        "source_locale": row.locale,
        "fallback": locale != row.locale,
        "type": row.page_type,
        "path": row.path,
        "revision": row.revision_id,
        "changed_at": row.changed_at.isoformat(),
    }


def notify_endpoints(pairs):
    """Log a delivery for every endpoint that wants each (change, locale), then queue it."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    if not endpoints or not pairs:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=row.event,
            key=row.key,
            locale=locale,
            body=json.dumps(payload(row, locale), separators=(",", ":"), sort_keys=True),
            next_attempt_at=now,
        )
        for row, locale in pairs
        for endpoint in endpoints
        if endpoint.wants(row.event, locale)
    )
    for delivery in deliveries:
        try:
            deliver_webhook.enqueue(delivery.pk)
        except Exception:
            # The queue is down; the delivery stays pending for send_due_webhooks.
            logger.exception("Could not queue webhook delivery %s", delivery.pk)
    return deliveries
