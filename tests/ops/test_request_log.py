"""One JSON line per request, tied to X-Request-ID, and no secret in any log line."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cms.api.models import ApiKey
from cms.delivery.models import WebhookEndpoint
from cms.review.approvals import approve
from pages.models import ProcedurePage
from tests.delivery.conftest import Receiver


def lines(log_output):
    return [json.loads(line) for line in log_output.getvalue().splitlines()]


def request_lines(log_output):
    return [line for line in lines(log_output) if line["logger"] == "cms.requests"]


@pytest.mark.django_db
def test_each_request_is_one_json_line_carrying_its_request_id(client, log_output):
    response = client.get("/api/v1/locales/?x=1")
    (line,) = request_lines(log_output)
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32
    assert line["event"] == "request" and line["level"] == "info"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/locales/"  # never the query string
    assert line["route"] == "/api/v1/locales/"
    assert line["status"] == response.status_code == 400  # ?x= is refused; the line says so
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["timestamp"].endswith("Z")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent, kept",
    [
        ("edge-4f2a.9c:01", True),
        ("two words", False),
        ('x"}{"status":500', False),
        ("a" * 129, False),
        ("", False),
    ],
)
def test_the_proxy_request_id_is_kept_only_when_it_looks_like_one(client, log_output, sent, kept):
    response = client.get("/api/v1/locales/", HTTP_X_REQUEST_ID=sent)
    (line,) = request_lines(log_output)
    assert line["request_id"] == response["X-Request-ID"]
    assert (response["X-Request-ID"] == sent) is kept
    if not kept:
        assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_lines_written_while_serving_carry_the_request_id(client, log_output):
    # A refused key makes Django log a warning while the request is served.
    response = client.get("/api/v1/sync/?locale=en", HTTP_AUTHORIZATION="Api-Key 0123abcd." + "k" * 43)
    assert response.status_code == 401
    warnings = [line for line in lines(log_output) if line["logger"] == "django.request"]
    assert warnings and all(line["request_id"] == response["X-Request-ID"] for line in warnings)


def test_no_api_key_password_or_webhook_secret_reaches_the_logs(
    demo_with_accounts, client, settings, log_output, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    _key, raw_key = ApiKey.objects.create_key(name="Clinic app", scopes=["export", "preview"])
    unknown_key = raw_key[:9] + "Z" * 43
    receiver = Receiver()
    receiver.answers = [(500, 0)]
    try:
        endpoint = WebhookEndpoint.objects.create(
            name="Rebuild",
            url=receiver.url + "?token=hook-url-token-123",
            secret="whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVzLTEyMzQ1",
            events=["page.published"],
        )
        procedure = ProcedurePage.objects.get(locale__language_code="en")
        client.get(f"/api/v1/pages/{procedure.translation_key}/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
        client.get("/api/v1/sync/?locale=fr", HTTP_X_API_KEY=raw_key)
        client.get("/api/v1/sync/?locale=fr", HTTP_AUTHORIZATION=f"Api-Key {unknown_key}")
        client.get(f"/api/v1/preview/preview-token-{raw_key}/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
        assert client.post("/admin/login/", {"username": "admin", "password": "clinic-demo"}).status_code == 302
        assert client.get(reverse("webhookendpoint:edit", args=[endpoint.pk])).status_code == 200
        procedure.save_revision()
        with django_capture_on_commit_callbacks(execute=True):
            # The product's path for a medical page: the demo's reviewer approves, it goes live.
            _approval, revision = approve(procedure, get_user_model().objects.get(username="reviewer"))
            revision.publish()
    finally:
        receiver.close()
    assert receiver.requests, "the webhook was sent (and failed, which is logged)"

    output = log_output.getvalue()
    assert any("Webhook" in line["event"] for line in lines(log_output))  # the failure line is there
    assert len(request_lines(log_output)) >= 6
    secret_part = raw_key.split(".", 1)[1]
    for secret in (
        secret_part,
        unknown_key.split(".", 1)[1],
        "c2VjcmV0LXNpZ25pbmcta2V5",
        "hook-url-token-123",
        "clinic-demo",
    ):
        assert secret not in output
