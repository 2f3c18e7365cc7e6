"""Send webhook deliveries whose next attempt is due.

With a worker (TASKS_BACKEND=rq) retries are scheduled on the queue and this command
is not needed. With the in-process backend, which cannot wait, run it from cron
(e.g. every minute) so that failed deliveries are retried with their backoff.
"""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from cms.delivery.models import DeliveryStatus, WebhookDelivery
from cms.delivery.webhooks.tasks import deliver_webhook


class Command(BaseCommand):
    help = "Send webhook deliveries that are pending or due for a retry."

    def handle(self, *args, **options):
        due = WebhookDelivery.objects.filter(
            Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]),
            Q(next_attempt_at__lte=timezone.now()) | Q(next_attempt_at__isnull=True),
        ).values_list("pk", flat=True)
        statuses = [deliver_webhook.call(delivery_id) for delivery_id in list(due)]
        delivered = statuses.count(DeliveryStatus.DELIVERED)
        self.stdout.write(f"Sent {len(statuses)} due webhook deliveries: {delivered} delivered.")
