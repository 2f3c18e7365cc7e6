"""/metrics: guarded by METRICS_TOKEN; request, cache, webhook and sync-feed figures."""

import secrets
import time

import psycopg
import pytest
from django.db import connection, transaction
from prometheus_client.parser import text_string_to_metric_families

from cms.api.cursors import writing_xact
from cms.delivery.models import ContentChange, WebhookEndpoint
from tests.delivery.conftest import Receiver
from tests.processes import migrated_database, start_server

TOKEN = {"HTTP_AUTHORIZATION": "Bearer test-metrics-token"}


def scrape(client):
    response = client.get("/metrics", **TOKEN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse(response.content)


def parse(exposition):
    """``{(name, labels): value}`` of a text exposition, read by prometheus-client's parser."""
    samples = {}
    for family in text_string_to_metric_families(exposition.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong", "test-metrics-token", "Bearer test-metrics-token "])
def test_metrics_need_the_token(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"cms_http" not in response.content


@pytest.mark.django_db
def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", **TOKEN).status_code == 404


def test_requests_latency_and_cache_hits_are_counted_per_route(treatments, client):
    key = treatments.translation_key
    route = "/api/v1/pages/<str:key>/"
    before = scrape(client)
    assert client.get(f"/api/v1/pages/{key}/")["X-Cache"] == "miss"
    assert client.get(f"/api/v1/pages/{key}/")["X-Cache"] == "hit"
    client.get("/api/v1/pages/00000000-0000-0000-0000-000000000000/")
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("cms_http_requests_total", method="GET", route=route, status="200") == 2
    assert delta("cms_http_requests_total", method="GET", route=route, status="404") == 1
    assert delta("cms_http_request_duration_seconds_count", method="GET", route=route) == 3
    assert delta("cms_api_response_cache_total", result="hit") == 1
    assert delta("cms_api_response_cache_total", result="miss") >= 1
    # Scrapes are not requests of the API.
    assert not any(labels and dict(labels).get("route") == "/metrics" for _name, labels in after)


def test_webhook_deliveries_and_failures_are_counted(treatments, client, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    receiver.answers = [(500, 0)]
    try:
        WebhookEndpoint.objects.create(name="Failing", url=receiver.url, events=["page.published"], locales=["en"])
        WebhookEndpoint.objects.create(
            name="Working", url=receiver.url + "?ok", events=["page.published"], locales=["en"]
        )
        before = scrape(client)
        with django_capture_on_commit_callbacks(execute=True):
            treatments.save_revision().publish()
    finally:
        receiver.close()
    after = scrape(client)
    assert len(receiver.requests) == 2
    assert (
        value(after, "cms_webhook_attempts_total", outcome="delivered")
        - value(before, "cms_webhook_attempts_total", outcome="delivered")
        == 1
    )
    assert (
        value(after, "cms_webhook_attempts_total", outcome="retrying")
        - value(before, "cms_webhook_attempts_total", outcome="retrying")
        == 1
    )
    assert value(after, "cms_webhook_deliveries", status="delivered") == 1
    assert value(after, "cms_webhook_deliveries", status="retrying") == 1
    assert value(after, "cms_content_change_rows") == ContentChange.objects.count() > 0
    assert value(after, "cms_metrics_database_up") == 1


def attempts(samples):
    return {
        outcome: value(samples, "cms_webhook_attempts_total", outcome=outcome)
        for outcome in ("delivered", "retrying", "failed")
    }


def deliveries(samples):
    return {
        status: value(samples, "cms_webhook_deliveries", status=status)
        for status in ("pending", "retrying", "delivered", "failed")
    }


NEW_DELIVERIES = """
import json, uuid
from cms.delivery.models import WebhookDelivery, WebhookEndpoint
for name, url in (("Failing", "{failing}"), ("Working", "{working}")):
    endpoint = WebhookEndpoint.objects.create(name=name, url=url, events=["page.published"], locales=["en"])
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", key=uuid.uuid4(), locale="en", body="{{}}"
    )
print(json.dumps(WebhookDelivery.objects.count()))
"""

AGE_DELIVERIES = """
import json
from datetime import timedelta
from django.db.models import F
from cms.delivery.models import WebhookDelivery
print(json.dumps(WebhookDelivery.objects.update(created_at=F("created_at") - timedelta(days=40))))
"""


def test_webhook_attempts_made_by_another_process_are_in_the_web_processs_metrics(tmp_path):
    """Attempts are made by RQ workers or by cron's send_due_webhooks, never by the process
    that answers /metrics: the counts it serves come from the delivery log, and stay put
    when prune removes the rows."""
    token = secrets.token_urlsafe(16)
    database = migrated_database(
        tmp_path,
        {
            "METRICS_TOKEN": token,
            "TASKS_BACKEND": "immediate",
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "WEBHOOK_MAX_ATTEMPTS": "2",
            "WEBHOOK_RETRY_BASE_SECONDS": "0",  # the retry is due at once
        },
    )
    failing, working = Receiver(), Receiver()
    failing.answers = [(500, 0)] * 5
    server = None
    try:
        assert database.shell(NEW_DELIVERIES.format(failing=failing.url, working=working.url)) == 2
        server = start_server(database, "runserver", tmp_path)

        def web_metrics():
            status, headers, body = server.get("/metrics", Authorization=f"Bearer {token}")
            assert status == 200, body[:300]
            return parse(body)

        assert attempts(web_metrics()) == {"delivered": 0, "retrying": 0, "failed": 0}
        assert deliveries(web_metrics())["pending"] == 2

        sent = database.manage("send_due_webhooks").stdout  # cron's process, not the server's
        assert "Sent 2 due webhook deliveries: 1 delivered." in sent
        assert attempts(web_metrics()) == {"delivered": 1, "retrying": 1, "failed": 0}

        sent = database.manage("send_due_webhooks").stdout  # the retry, the last one allowed
        assert "Sent 1 due webhook deliveries: 0 delivered." in sent
        assert (len(failing.requests), len(working.requests)) == (2, 1)
        samples = web_metrics()
        assert attempts(samples) == {"delivered": 1, "retrying": 1, "failed": 1}
        assert deliveries(samples) == {"pending": 0, "retrying": 0, "delivered": 1, "failed": 1}

        # Prune removes the finished rows; the counters do not go back.
        assert database.shell(AGE_DELIVERIES) == 2
        assert "Removed 2 webhook deliveries." in database.manage("prune", "--deliveries-older-than", "30d").stdout
        samples = web_metrics()
        assert attempts(samples) == {"delivered": 1, "retrying": 1, "failed": 1}
        assert deliveries(samples) == {"pending": 0, "retrying": 0, "delivered": 0, "failed": 0}
    finally:
        if server is not None:
            server.stop()
        failing.close()
        working.close()
        if database.drop:
            database.drop()


def test_deleting_an_endpoint_keeps_its_attempts_counted(
    treatments, client, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    receiver.answers = [(503, 0)]
    try:
        endpoint = WebhookEndpoint.objects.create(
            name="Retired site", url=receiver.url, events=["page.published"], locales=["en"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            treatments.save_revision().publish()
        with django_capture_on_commit_callbacks(execute=True):
            treatments.save_revision().publish()
    finally:
        receiver.close()
    counted = attempts(scrape(client))
    assert counted == {"delivered": 1, "retrying": 1, "failed": 0}
    endpoint.delete()
    samples = scrape(client)
    assert attempts(samples) == counted
    assert sum(deliveries(samples).values()) == 0


@pytest.mark.django_db(transaction=True)
def test_the_sync_feed_lag_is_how_long_an_open_transaction_holds_a_change_back(client):
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time: the feed never waits for an older transaction.
        assert value(scrape(client), "cms_sync_feed_lag_seconds") == 0
        return
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
    ) as older:
        older.execute("SELECT pg_current_xact_id()")  # an older transaction, still open
        with transaction.atomic():
            ContentChange.objects.create(
                xact=writing_xact(),
                event="page.published",
                key="6f1c2b9e-0000-4000-8000-000000000001",
                locale="en",
                page_id=1,
                page_type="pages.procedurepage",
            )
        time.sleep(1.1)
        assert value(scrape(client), "cms_sync_feed_lag_seconds") >= 1
        older.rollback()
    assert value(scrape(client), "cms_sync_feed_lag_seconds") == 0


def test_the_answering_workers_site_index_and_memory_are_reported(treatments, client):
    """Memory per worker is reported: the pages its site index holds and their estimated size."""
    import os

    from wagtail.models import Page

    from cms.api.visibility import public_pages

    client.get(f"/api/v1/pages/{treatments.translation_key}/")  # the index is built on a first read
    samples = scrape(client)
    pid = str(os.getpid())
    assert value(samples, "cms_api_site_index_pages", pid=pid) == public_pages(Page.objects.all()).count()
    pages = value(samples, "cms_api_site_index_pages", pid=pid)
    held = value(samples, "cms_api_site_index_bytes", pid=pid)
    assert held > 200 * pages
    assert value(samples, "cms_process_resident_bytes", pid=pid) > held
