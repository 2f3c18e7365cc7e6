"""/healthz and /readyz: liveness without dependencies, readiness naming what failed."""

import json
import time

import pytest
from django.core.cache import caches

from cms.api import cache_backend

PROBLEM = "application/problem+json"


def fail_soft_cache(url):
    return {
        "default": {
            "BACKEND": "cms.api.cache_backend.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "readyz-test",
            "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
        }
    }


def test_liveness_answers_without_touching_the_database_and_from_any_host(client):
    # No django_db mark: any query would fail this test.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_ready_when_every_dependency_answers(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "task_queue": "ok", "storage": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_redis_cache_that_dies_is_named_while_reads_go_on_and_recovery_is_seen(client, settings, private_redis):
    settings.CACHES = fail_soft_cache(private_redis.url)
    assert client.get("/readyz").status_code == 200
    assert caches["default"].get("readyz-test-sentinel") is None  # the cache really is that Redis

    private_redis.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == "failed" and body["checks"]["database"] == "ok"
    assert "cache" in body["detail"]
    # Reads still work, uncached.
    assert client.get("/api/v1/locales/").status_code == 200

    private_redis.start()  # the same port
    deadline = time.monotonic() + cache_backend.RETRY_SECONDS + 3
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "readiness did not come back after Redis restarted"
        time.sleep(0.2)


@pytest.mark.django_db
def test_a_dead_task_queue_is_named_and_logged_once_not_per_probe(client, settings, private_redis, log_output):
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": private_redis.url}}
    assert client.get("/readyz").status_code == 200
    private_redis.stop()
    for _ in range(3):
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["failed"] == ["task_queue"]
    logged = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert [(line["logger"], line["event"].split(":")[0]) for line in logged] == [("cms.ops.probes", "Not ready")]


@pytest.mark.django_db
def test_a_hung_dependency_is_cut_short_at_the_timeout(client, settings, silent_port):
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{silent_port}/0"}}
    settings.READINESS_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.json()["failed"] == ["task_queue"]


@pytest.mark.django_db
def test_media_storage_that_cannot_be_written_is_named(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocker}},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert blocker.read_text() == "a file where the media folder should be"


@pytest.mark.django_db
def test_probes_are_neither_throttled_nor_logged_per_call(client, settings, log_output):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    for _ in range(5):
        assert client.get("/readyz").status_code == 200
        assert client.get("/healthz").status_code == 200
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert lines == []
    # An API read in the same conditions is logged (the capture works).
    client.get("/api/v1/locales/")
    assert [line["path"] for line in map(json.loads, log_output.getvalue().splitlines())] == ["/api/v1/locales/"]
