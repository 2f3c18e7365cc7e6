"""Sending one webhook delivery, retried with exponential backoff.

Runs on Django's task framework: in-process right after the commit in development and
tests (ImmediateBackend), on an RQ worker in production (``TASKS_BACKEND=rq``). A
receiver that fails or hangs costs at most ``WEBHOOK_TIMEOUT_SECONDS`` of a worker and
never touches the publish, which has already committed. Only public addresses are
called (``guard.py``); the log keeps the status and a short reason, never the reply.
"""

import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from ..models import DeliveryStatus, WebhookDelivery
from . import signing
from .guard import BlockedAddress, guarded_session

logger = logging.getLogger(__name__)

USER_AGENT = "clinic-content-hub-webhooks/1"
REASON_LENGTH = 60
ERROR_LENGTH = 300


def timeout_seconds():
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))


def max_attempts():
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 6))


def backoff(attempt):
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, …): 30 s, 60 s, 120 s…"""
    base = float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30))
    return min(base * 2 ** (attempt - 1), 3600.0)


@task()
def deliver_webhook(delivery_id):
    """Attempt delivery ``delivery_id`` once; schedule the next attempt if it fails."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        return delivery.status if delivery else "gone"
    attempt(delivery)
    if delivery.status == DeliveryStatus.RETRYING:
        schedule_retry(delivery)
    return delivery.status


def attempt(delivery):
    """POST the delivery's body once and write down how it went."""
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Webhook-Event": delivery.event,
        # The same id on every retry: receivers drop what they have already handled.
        **signing.headers(delivery.endpoint.secret, delivery.message_id, body),
    }
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        # stream=True: the reply's body is never read, only its status line.
        with (
            guarded_session() as session,
            session.post(
                delivery.endpoint.url,
                data=body,
                headers=headers,
                timeout=timeout_seconds(),
                allow_redirects=False,
                stream=True,
            ) as response,
        ):
            status, reason = response.status_code, (response.reason or "")[:REASON_LENGTH]
    except BlockedAddress as exc:
        delivery.response_status = None
        delivery.last_error = f"Refused: {exc}"[:ERROR_LENGTH]
    except requests.Timeout:
        delivery.response_status = None
        delivery.last_error = f"No answer within {timeout_seconds():g} s."
    except requests.RequestException as exc:
        delivery.response_status = None
        delivery.last_error = f"Could not connect: {exc.__class__.__name__}"
    else:
        delivery.response_status = status
        if 200 <= status < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.last_error = ""
            delivery.save()  # the attempt is counted from this row (counts.py), whichever process made it
            return delivery
        delivery.last_error = f"HTTP {status} {reason}".strip()
        if 300 <= status < 400:
            delivery.last_error += " (redirects are not followed)"
    if delivery.attempts >= max_attempts():
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=backoff(delivery.attempts))
    delivery.save()
    logger.warning("Webhook %s to %s failed: %s", delivery.pk, delivery.endpoint.url, delivery.last_error)
    return delivery


def schedule_retry(delivery):
    """Queue the next attempt for ``next_attempt_at`` on backends that can defer.

    The in-process backend cannot wait, and retrying on the spot would hold up the
    request that published; there ``manage.py send_due_webhooks`` (e.g. from cron)
    sends what is due.
    """
    if deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
