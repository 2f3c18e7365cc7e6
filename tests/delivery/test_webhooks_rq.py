"""Webhooks through Redis and an RQ worker, as production runs them (TASKS_BACKEND=rq).

Needs the Redis server named by REDIS_URL. The worker is RQ's SimpleWorker in this
process (what ``manage.py rqworker default --job-class django_tasks_rq.Job --burst``
runs, without forking), so it sees the test's database.
"""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from cms.delivery.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

from .conftest import add_page

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis server named by REDIS_URL"),
    pytest.mark.django_db,
]

QUEUE = "delivery-tests"
OTHER_TASKS = "default"


@pytest.fixture
def rq_queue(settings):
    import django_rq

    # Wagtail's own tasks (reference index, search) go to "default"; this test drops them.
    settings.RQ_QUEUES = {name: {"URL": os.environ["REDIS_URL"]} for name in (QUEUE, OTHER_TASKS)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [QUEUE, OTHER_TASKS]}}
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    queue, other = django_rq.get_queue(QUEUE), django_rq.get_queue(OTHER_TASKS)
    queue.empty()
    yield queue
    queue.empty()
    other.empty()
    for job_id in queue.scheduled_job_registry.get_job_ids():
        queue.scheduled_job_registry.remove(job_id, delete_job=True)


@pytest.fixture
def on_queue(monkeypatch):
    """Send webhook tasks to the test queue rather than the shared default one."""
    from cms.delivery.webhooks import dispatch, tasks

    monkeypatch.setattr(dispatch, "deliver_webhook", tasks.deliver_webhook.using(queue_name=QUEUE))
    monkeypatch.setattr(tasks, "deliver_webhook", tasks.deliver_webhook.using(queue_name=QUEUE))


def work(queue):
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_publishing_queues_the_webhook_and_the_worker_delivers_it(
    treatments, receiver, rq_queue, on_queue, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(
        name="Rebuild", url=receiver.url, secret="s3cret", events=["page.published"], locales=["en"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING, "publishing only queued it"
    assert rq_queue.count == 1
    assert receiver.requests == []

    work(rq_queue)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    [request] = receiver.requests
    secret = WebhookEndpoint.objects.get().secret
    assert Webhook(secret).verify(request["body"], request["headers"]) == request["json"]


def test_a_failed_delivery_is_scheduled_on_redis_for_its_backoff(
    treatments, receiver, rq_queue, on_queue, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(name="Rebuild", url=receiver.url, events=["page.published"], locales=["en"])
    receiver.answers = [(503, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")

    work(rq_queue)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    [job_id] = rq_queue.scheduled_job_registry.get_job_ids()
    scheduled_for = rq_queue.scheduled_job_registry.get_scheduled_time(job_id)
    assert abs(scheduled_for - delivery.next_attempt_at) < timedelta(seconds=1)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
