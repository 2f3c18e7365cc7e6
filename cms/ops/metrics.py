"""Prometheus metrics at ``/metrics``, for a scraper holding ``METRICS_TOKEN``.

Counted in each process as it works: requests and their latency per route (the URL
pattern, never the raw path, so the number of series stays fixed), the response cache's
hits and misses (the ``X-Cache`` header the API sets). Read from the database at each
scrape, so they are right whichever process did the work: webhook attempts by outcome
(``cms.delivery.webhooks.counts``: made by web workers, RQ workers or cron alike),
webhook deliveries by status, change rows kept, and the sync feed's lag.

Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder of the
web service (``deploy/gunicorn.conf.py`` empties it at start and marks exited workers
dead); prometheus-client then adds up every worker's counts (multiprocess mode).
"""

import hmac
import os

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from cms.api.cursors import settled_horizon
from cms.api.errors import problem_response
from cms.delivery.models import ContentChange, DeliveryStatus, WebhookDelivery
from cms.delivery.webhooks.counts import attempt_totals

METRICS_PATH = "/metrics"

REQUESTS = Counter("cms_http_requests", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "cms_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RESPONSE_CACHE = Counter("cms_api_response_cache", "API reads by response-cache outcome (X-Cache).", ["result"])


def observe_request(method, route, status, seconds, cache_result=None):
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    if cache_result in ("hit", "miss"):
        RESPONSE_CACHE.labels(cache_result).inc()


class DatabaseCollector:
    """Gauges read from the database at scrape time."""

    def collect(self):
        up = GaugeMetricFamily("cms_metrics_database_up", "Whether the scrape could read the database.")
        try:
            attempts, by_status, rows, oldest_waiting = _database_figures()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        attempted = CounterMetricFamily(
            "cms_webhook_attempts",
            "Webhook delivery attempts by every process, by the outcome they left the delivery in "
            "(delivered; retrying: failed, tried again later; failed: failed, no retry left).",
            labels=["outcome"],
        )
        for outcome, count in attempts.items():
            attempted.add_metric([str(outcome)], count)
        yield attempted
        deliveries = GaugeMetricFamily(
            "cms_webhook_deliveries", "Webhook deliveries in the log, by status.", labels=["status"]
        )
        for status in DeliveryStatus.values:
            deliveries.add_metric([status], by_status.get(status, 0))
        yield deliveries
        yield GaugeMetricFamily(
            "cms_content_change_rows", "Rows in the change table (see manage.py prune).", value=rows
        )
        lag = (timezone.now() - oldest_waiting).total_seconds() if oldest_waiting else 0.0
        yield GaugeMetricFamily(
            "cms_sync_feed_lag_seconds",
            "Age of the oldest committed change the sync feed cannot hand out yet (an older transaction is open).",
            value=max(lag, 0.0),
        )


class SiteIndexCollector:
    """The answering process's site index (``cms.api.site_index``) and resident memory, read
    at scrape time: what a worker holds grows with the public pages (about 1 KB each) and
    nothing else. Labelled with the process id; each scrape reports the worker that answered."""

    def collect(self):
        from cms.api import invalidation

        held = invalidation.stats()
        labels = [str(os.getpid())]
        for name, text, value in (
            ("cms_api_site_index_pages", "Public pages in this worker's site index.", held["pages"]),
            ("cms_api_site_index_bytes", "Estimated bytes of this worker's site index.", held["bytes"]),
            ("cms_api_site_index_derived", "Values kept until their tag changes.", held["derived"]),
            ("cms_process_resident_bytes", "Resident memory of this worker.", _resident_bytes()),
        ):
            family = GaugeMetricFamily(name, text, labels=["pid"])
            family.add_metric(labels, value)
            yield family


def _resident_bytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _database_figures():
    """(webhook attempts by outcome, deliveries by status, change rows, time of the oldest
    change held back by the horizon)."""
    by_status = dict(
        WebhookDelivery.objects.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    horizon, _own = settled_horizon()
    held_back = ContentChange.objects.filter(xact__gte=horizon) if horizon is not None else ContentChange.objects.none()
    oldest = held_back.order_by("changed_at").values_list("changed_at", flat=True).first()
    return attempt_totals(), by_status, ContentChange.objects.count(), oldest


def exposition():
    """The text exposition of every metric: this process's (or all processes') and the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    database.register(SiteIndexCollector())
    return counted + generate_latest(database)


def metrics_response(request):
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        return _no_store(problem_response(404, "Metrics are off: set METRICS_TOKEN to serve them."))
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        response = _no_store(problem_response(401, "Send 'Authorization: Bearer <METRICS_TOKEN>'."))
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    # The classic text format, which every Prometheus version reads (our names are plain ASCII).
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response["Cache-Control"] = "no-store"
    return response


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response
