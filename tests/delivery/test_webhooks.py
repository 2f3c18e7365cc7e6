"""Signed webhooks, sent after commit, retried with backoff, logged, never in the way."""

import base64
import io
import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from cms.delivery.models import ChangeEvent, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.delivery.webhooks import tasks

from .conftest import add_page, translate

pytestmark = pytest.mark.django_db

ALL_EVENTS = [event for event, _label in ChangeEvent.choices]


def endpoint(url, **fields):
    fields.setdefault("events", ALL_EVENTS)
    fields.setdefault("locales", ["en"])
    return WebhookEndpoint.objects.create(name="Site rebuild", url=url, secret="s3cret", **fields)


@pytest.fixture
def quick_webhooks(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30


# --- Signing (Standard Webhooks, verified with the stock library) -------------------------


def verified(request, endpoint):
    """The payload, verified with ``standardwebhooks`` and the endpoint's stored secret."""
    return Webhook(endpoint.secret).verify(request["body"], request["headers"])


def test_a_typed_secret_is_stored_as_whsec_with_the_same_key_bytes(db):
    hook = endpoint("https://a.example/")
    assert hook.secret == "whsec_" + base64.b64encode(b"s3cret").decode()
    assert WebhookEndpoint.objects.get().secret == hook.secret
    hook.save()
    assert WebhookEndpoint.objects.get().secret == hook.secret  # saving again changes nothing


def test_the_webhook_id_is_the_same_on_every_retry(
    treatments, receiver, quick_webhooks, django_capture_on_commit_callbacks
):
    hook = endpoint(receiver.url)
    receiver.answers = [(500, 0), (204, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    tasks.attempt(delivery)  # the retry
    assert delivery.status == DeliveryStatus.DELIVERED
    first, second = receiver.requests
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == delivery.message_id
    assert verified(first, hook) == verified(second, hook) == json.loads(delivery.body)
    assert "X-Webhook-Signature" not in first["headers"]  # the previous scheme is retired
    other = WebhookEndpoint.objects.create(name="Other", url="https://b.example/", events=ALL_EVENTS)
    with pytest.raises(WebhookVerificationError):
        verified(first, other)


# --- Delivery to a real local receiver ----------------------------------------------------


def test_publishing_posts_a_signed_payload_to_the_endpoint_after_commit(
    treatments, receiver, quick_webhooks, django_capture_on_commit_callbacks
):
    endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = add_page(treatments, "Microneedling", "microneedling")
    assert receiver.requests == [], "nothing may be sent before the publish commits"

    for callback in callbacks:
        callback()

    [request] = receiver.requests
    assert request["json"] == {
        "event": "page.published",
        "key": str(page.translation_key),
        "locale": "en",
        "source_locale": "en",
        "fallback": False,
        "type": "pages.ProcedureIndexPage",
        "path": "/en/treatments/microneedling/",
        "revision": page.live_revision_id,
        "changed_at": request["json"]["changed_at"],
        "site": "localhost",  # the site holding the page: a clinic's code, or a plain Site's host name
    }
    assert request["headers"]["X-Webhook-Event"] == "page.published"
    delivery = WebhookDelivery.objects.get()
    assert verified(request, delivery.endpoint) == request["json"]
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.DELIVERED, 1, 204)
    assert delivery.body.encode() == request["body"]


def test_a_rolled_back_publish_sends_nothing(treatments, receiver, django_capture_on_commit_callbacks):
    endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        add_page(treatments, "Microneedling", "microneedling")
        raise RuntimeError("editor's request failed")

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_logged_and_retried_later_while_publishing_succeeds(
    treatments, receiver, quick_webhooks, django_capture_on_commit_callbacks
):
    endpoint(receiver.url)
    receiver.answers = [(500, 0)]
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        page = add_page(treatments, "Microneedling", "microneedling")

    assert page.live
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.RETRYING, 1, 500)
    assert "HTTP 500" in delivery.last_error
    assert before + timedelta(seconds=30) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=30)


def test_a_receiver_that_hangs_is_cut_off_at_the_timeout(
    treatments, receiver, quick_webhooks, django_capture_on_commit_callbacks
):
    endpoint(receiver.url)
    receiver.answers = [(204, 10)]

    with django_capture_on_commit_callbacks(execute=True):
        page = add_page(treatments, "Microneedling", "microneedling")

    assert page.live
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == "No answer within 0.5 s."


def test_an_unreachable_receiver_is_logged(
    treatments, quick_webhooks, internal_receivers_allowed, django_capture_on_commit_callbacks
):
    endpoint("http://127.0.0.1:9/nothing-listens-here")
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error.startswith("Could not connect")


def test_retries_back_off_exponentially_then_give_up(treatments, receiver, quick_webhooks):
    hook = endpoint(receiver.url)
    receiver.answers = [(503, 0)] * 3
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event="page.published", key=treatments.translation_key, locale="en", body="{}"
    )
    waits = []
    for _attempt in range(3):
        started = timezone.now()
        tasks.attempt(delivery)
        if delivery.next_attempt_at:
            waits.append(round((delivery.next_attempt_at - started).total_seconds()))

    assert waits == [30, 60]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    assert len(receiver.requests) == 3


def test_a_worker_backend_gets_the_retry_deferred_by_the_backoff(treatments, receiver, quick_webhooks, settings):
    """With a backend that can wait (RQ in production), the retry is queued with run_after."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    hook = endpoint(receiver.url)
    receiver.answers = [(500, 0)]
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event="page.published", key=treatments.translation_key, locale="en", body="{}"
    )
    from django_tasks import default_task_backend

    tasks.deliver_webhook.call(delivery.pk)

    [queued] = [result for result in default_task_backend.results if result.task.func is tasks.deliver_webhook.func]
    delivery.refresh_from_db()
    assert queued.args == [delivery.pk]
    assert queued.task.run_after == delivery.next_attempt_at


def test_send_due_webhooks_retries_what_is_due_and_leaves_the_rest(treatments, receiver, quick_webhooks):
    from django.core.management import call_command

    hook = endpoint(receiver.url)
    due = WebhookDelivery.objects.create(
        endpoint=hook,
        event="page.published",
        key=treatments.translation_key,
        locale="en",
        body='{"n":1}',
        status=DeliveryStatus.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    later = WebhookDelivery.objects.create(
        endpoint=hook,
        event="page.published",
        key=treatments.translation_key,
        locale="en",
        body='{"n":2}',
        status=DeliveryStatus.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    output = io.StringIO()
    call_command("send_due_webhooks", stdout=output)

    due.refresh_from_db()
    later.refresh_from_db()
    assert [r["json"] for r in receiver.requests] == [{"n": 1}]
    assert (due.status, due.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert (later.status, later.attempts) == (DeliveryStatus.RETRYING, 1)
    assert output.getvalue() == "Sent 1 due webhook deliveries: 1 delivered.\n"


# --- Who gets notified --------------------------------------------------------------------


def test_an_english_change_notifies_the_locales_falling_back_to_it_but_not_translated_ones(
    treatments, locales, receiver, django_capture_on_commit_callbacks
):
    translate(treatments, locales["fr"])
    endpoint(receiver.url, locales=["fr", "de"])
    treatments.title = "Treatments and prices"

    with django_capture_on_commit_callbacks(execute=True):
        treatments.save_revision().publish()

    [request] = receiver.requests
    assert request["json"]["locale"] == "de"
    assert request["json"]["source_locale"] == "en"
    assert request["json"]["fallback"] is True


def test_an_endpoint_without_locales_hears_every_locale_serving_the_page(
    treatments, receiver, django_capture_on_commit_callbacks
):
    endpoint(receiver.url, locales=[])
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")

    assert sorted(r["json"]["locale"] for r in receiver.requests) == ["de", "en", "es", "fr"]


def test_endpoints_only_get_the_events_they_chose_and_only_while_active(
    treatments, receiver, django_capture_on_commit_callbacks
):
    endpoint(receiver.url, events=["page.unpublished"])
    endpoint(receiver.url, active=False)

    with django_capture_on_commit_callbacks(execute=True):
        child = add_page(treatments, "Microneedling", "microneedling")
        child.unpublish()

    assert [r["json"]["event"] for r in receiver.requests] == ["page.unpublished"]


def test_a_translation_publish_is_sent_as_such(treatments, locales, receiver, django_capture_on_commit_callbacks):
    endpoint(receiver.url, events=["translation.published"], locales=["fr"])

    with django_capture_on_commit_callbacks(execute=True):
        french = translate(treatments, locales["fr"])

    bodies = [r["json"] for r in receiver.requests]
    assert {"event": "translation.published", "key": str(french.translation_key), "locale": "fr"}.items() <= bodies[
        -1
    ].items()
    assert json.loads(WebhookDelivery.objects.latest("id").body)["path"] == "/fr/treatments/"
