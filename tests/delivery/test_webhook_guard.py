"""Webhooks cannot reach inside: internal addresses in every spelling are refused when an
endpoint is saved and again when a delivery connects (DNS rebinding); redirects are not
followed; the log keeps the status and a short reason, never the reply."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.delivery.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.delivery.webhooks.guard import validate_webhook_url

from .conftest import Receiver, add_page

INTERNAL = {
    "http://127.0.0.1:6379/": "a loopback address",
    "http://localhost:8000/hook": "a loopback address",
    "http://169.254.169.254/latest/meta-data/": "a link-local address",
    "http://10.0.0.1/": "a private address",
    "http://192.168.1.20/hook": "a private address",
    "http://172.16.0.1/": "a private address",
    "http://100.64.0.1/": "a non-public address",
    "http://0.0.0.0/": "an unspecified address",
    "http://224.0.0.1/": "a multicast address",
    "http://240.0.0.1/": "a reserved address",
    "http://[::1]/": "a loopback address",
    "http://[::]/": "an unspecified address",
    "http://[::ffff:127.0.0.1]/": "a loopback address",
    "http://[::ffff:10.0.0.1]/": "a private address",
    "http://[64:ff9b::a9fe:a9fe]/": "a link-local address",
    "http://[fe80::1]/": "a link-local address",
    "http://[fc00::1]/": "a private address",
    "http://[ff02::1]/": "a multicast address",
    "http://2130706433/": "a loopback address",  # decimal
    "http://0x7f000001/": "a loopback address",  # hex
    "http://0x7f.0.0.1/": "a loopback address",  # dotted hex
    "http://0177.0.0.1/": "a loopback address",  # octal
    "http://127.1/": "a loopback address",  # short form
}


def refusal_of(url):
    with pytest.raises(ValidationError) as caught:
        validate_webhook_url(url)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("url", sorted(INTERNAL))
def test_internal_addresses_in_every_form_are_refused_at_save_time(url):
    message = refusal_of(url)
    assert INTERNAL[url] in message
    assert "webhooks go to public addresses only" in message


@pytest.mark.parametrize("url", ["ftp://files.example.com/", "file:///etc/passwd", "gopher://example.com/"])
def test_other_schemes_are_refused(url):
    assert "http or https" in refusal_of(url)


def test_a_name_resolving_inside_is_refused(monkeypatch):
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "hooks.clinic.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    assert "hooks.clinic.example is 10.1.2.3, a private address" in refusal_of("https://hooks.clinic.example/x")


@pytest.mark.parametrize("url", ["https://93.184.216.34/hook", "http://[2606:2800:220:1::]/", "https://site.invalid/"])
def test_public_and_not_yet_resolvable_hosts_are_accepted(url):
    validate_webhook_url(url)


def test_the_allow_list_admits_named_hosts_and_networks(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost", "10.20.0.0/16"]
    validate_webhook_url("http://localhost:8000/hook")
    validate_webhook_url("http://10.20.1.2/hook")
    assert "a private address" in refusal_of("http://10.21.0.1/hook")
    assert "a loopback address" in refusal_of("http://127.0.0.1/hook")


@pytest.mark.django_db
def test_the_admin_form_says_why_and_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("webhookendpoint:add"),
        {"name": "Metadata", "url": "http://169.254.169.254/latest/", "events": ["page.published"], "secret": "s"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [
        "169.254.169.254 is 169.254.169.254, a link-local address; webhooks go to public addresses only."
    ]
    assert not WebhookEndpoint.objects.exists()


@pytest.fixture
def internal_receiver():
    """A receiver on 127.0.0.1, which the allow-list does not name."""
    server = Receiver()
    yield server
    server.close()


def endpoint_bypassing_validation(url):
    # As an endpoint saved before this check existed, or whose name resolved elsewhere then.
    return WebhookEndpoint.objects.create(name="Hook", url=url, secret="s", events=["page.published"], locales=["en"])


def test_a_delivery_to_an_internal_address_is_refused_when_connecting(
    treatments, internal_receiver, django_capture_on_commit_callbacks
):
    endpoint_bypassing_validation(internal_receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")
    delivery = WebhookDelivery.objects.get()
    assert internal_receiver.requests == []
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_status is None
    assert delivery.last_error.startswith("Refused: 127.0.0.1 is 127.0.0.1, a loopback address")


def test_dns_rebinding_is_refused_on_the_address_actually_connected_to(
    treatments, internal_receiver, monkeypatch, django_capture_on_commit_callbacks
):
    port = internal_receiver.server.server_address[1]
    endpoint = endpoint_bypassing_validation(f"http://rebind.clinic.example:{port}/hook")
    endpoint.full_clean()  # the name does not resolve at save time: accepted
    real = socket.getaddrinfo

    def rebound(host, *args, **kwargs):
        if host == "rebind.clinic.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")
    delivery = WebhookDelivery.objects.get()
    assert internal_receiver.requests == []
    assert "rebind.clinic.example is 127.0.0.1, a loopback address" in delivery.last_error


def test_redirects_are_not_followed(treatments, receiver, django_capture_on_commit_callbacks):
    endpoint_bypassing_validation(receiver.url)
    receiver.answers = [(302, 0, {"Location": receiver.url + "/elsewhere"}, b"")]
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.response_status) == (DeliveryStatus.RETRYING, 302)
    assert delivery.last_error == "HTTP 302 Found (redirects are not followed)"


def test_the_log_keeps_the_status_and_reason_never_the_reply(treatments, receiver, django_capture_on_commit_callbacks):
    endpoint_bypassing_validation(receiver.url)
    secret_reply = b"redis_version:7.0.15 INTERNAL-SECRET " * 50
    receiver.answers = [(500, 0, {"Content-Type": "text/plain"}, secret_reply)]
    with django_capture_on_commit_callbacks(execute=True):
        add_page(treatments, "Microneedling", "microneedling")
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    stored = " ".join(str(value) for value in WebhookDelivery.objects.values().get().values())
    assert "INTERNAL-SECRET" not in stored
