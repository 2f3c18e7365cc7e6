"""Developers manage webhook endpoints and read the delivery log in the Wagtail admin."""

import pytest
from django.urls import reverse

from cms.delivery.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_an_endpoint_is_added_with_its_events_and_locales(admin_client):
    response = admin_client.post(
        reverse("webhookendpoint:add"),
        {
            "name": "French site",
            "url": "https://fr.clinic.example/api/revalidate",
            "events": ["page.published", "translation.published"],
            "locales": ["fr"],
            "active": "on",
            "secret": "shared-with-the-site",
        },
    )

    assert response.status_code == 302
    hook = WebhookEndpoint.objects.get()
    assert (hook.events, hook.locales, hook.active) == (["page.published", "translation.published"], ["fr"], True)


def test_garbage_in_the_endpoint_form_is_refused_and_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("webhookendpoint:add"),
        {"name": "Broken", "url": "not a url", "events": ["page.exploded"], "locales": ["xx"], "secret": "s"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["url"] == ["Enter a valid URL."]
    assert "page.exploded is not one of the available choices." in errors["events"][0]
    assert "xx is not one of the available choices." in errors["locales"][0]
    assert not WebhookEndpoint.objects.exists()


def test_a_new_endpoint_gets_a_random_secret():
    first = WebhookEndpoint.objects.create(name="a", url="https://a.example/", events=["page.published"])
    second = WebhookEndpoint.objects.create(name="b", url="https://b.example/", events=["page.published"])
    assert len(first.secret) >= 40 and first.secret != second.secret


@pytest.fixture
def logged_delivery(db):
    hook = WebhookEndpoint.objects.create(name="Rebuild", url="https://a.example/", events=["page.published"])
    return WebhookDelivery.objects.create(
        endpoint=hook,
        event="page.published",
        key="6f1f5c1e-8a3a-4c53-9a7e-0d6c4b0f2a11",
        locale="fr",
        body='{"event":"page.published"}',
        status=DeliveryStatus.RETRYING,
        attempts=2,
        response_status=502,
        last_error="HTTP 502: Bad gateway",
    )


def test_the_delivery_log_lists_and_shows_each_delivery(admin_client, logged_delivery):
    listing = admin_client.get(reverse("webhookdelivery:index"))
    detail = admin_client.get(reverse("webhookdelivery:inspect", args=[logged_delivery.pk]))

    assert listing.status_code == 200
    assert "Retrying" in listing.content.decode()
    assert detail.status_code == 200
    assert "HTTP 502: Bad gateway" in detail.content.decode()
    assert "{&quot;event&quot;:&quot;page.published&quot;}" in detail.content.decode()


def test_the_delivery_log_cannot_be_edited_or_deleted_even_by_a_superuser(admin_client, logged_delivery):
    edit = admin_client.post(reverse("webhookdelivery:edit", args=[logged_delivery.pk]), {"status": "delivered"})
    delete = admin_client.post(reverse("webhookdelivery:delete", args=[logged_delivery.pk]))
    add = admin_client.get(reverse("webhookdelivery:add"))

    assert {edit.status_code, delete.status_code, add.status_code} <= {302, 403}
    logged_delivery.refresh_from_db()
    assert logged_delivery.status == DeliveryStatus.RETRYING
