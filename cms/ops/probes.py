"""Liveness (``/healthz``) and readiness (``/readyz``) for a load balancer or orchestrator.

``/healthz`` says the process answers at all and touches nothing else: restarting a
worker because the database is down would not bring the database back. ``/readyz``
checks what a request needs (the database, the cache, the task queue, the media
storage), all at once, each within ``READINESS_TIMEOUT_SECONDS``, and answers 200 or a
503 problem document naming what failed.

Both are answered by :class:`ProbeMiddleware`, first in the stack: before the host
check (probes often call by IP address), the HTTPS redirect, sessions, the request log
and the throttles. ``/metrics`` (``cms.ops.metrics``) is answered here as well.
Nothing is cached; a change of readiness is logged once, not every
probe.
"""

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import JsonResponse

from cms.api.errors import PROBLEM_CONTENT_TYPE, problem

from .metrics import METRICS_PATH, metrics_response

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
_last_failed = {"names": ()}


def check_database():
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # the probe's thread ends; its connection must not linger


def check_cache():
    """A write and a read through Django's cache, whose Redis backend fails soft: the
    probe asks :func:`cms.api.caching.healthy` what the fail-soft layer swallowed."""
    from django.core.cache import cache

    from cms.api import caching

    value = uuid.uuid4().hex
    cache.set("ops:readyz", value, 30)
    ok, error = caching.healthy()
    if not ok:
        raise ConnectionError(error)
    if cache.get("ops:readyz") != value:
        ok, error = caching.healthy()
        raise ConnectionError(error or "the cache did not keep a value")


def check_task_queue():
    """The task queue's Redis answers (RQ backend); the in-process backend needs nothing."""
    queues = getattr(settings, "RQ_QUEUES", None)
    if getattr(settings, "TASKS_BACKEND", "immediate") != "rq" or not queues:
        return
    import redis

    seconds = timeout()
    client = redis.Redis.from_url(queues["default"]["URL"], socket_timeout=seconds, socket_connect_timeout=seconds)
    try:
        client.ping()
    finally:
        client.close()


def check_storage():
    """A small file written to and deleted from the media storage (local disk or S3)."""
    from django.core.files.storage import default_storage

    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    default_storage.delete(name)


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "task_queue": check_task_queue,
    "storage": check_storage,
}


def timeout():
    return float(getattr(settings, "READINESS_TIMEOUT_SECONDS", 2.0))


def readiness(checks=None):
    """``{name: None or "why it failed"}`` for every check, run in parallel within the timeout."""
    checks = checks or CHECKS
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    futures = {name: executor.submit(check) for name, check in checks.items()}
    wait(futures.values(), timeout=timeout())
    # A check still running is reported and left to finish on its own; it holds no lock.
    executor.shutdown(wait=False, cancel_futures=True)
    results = {}
    for name, future in futures.items():
        if not future.done():
            results[name] = f"no answer within {timeout():g} s"
        elif future.exception() is not None:
            results[name] = _reason(future.exception())
        else:
            results[name] = None
    return results


def _reason(error):
    """The error's kind and first line, without addresses of internal services spelled out."""
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}"[:200] if text else type(error).__name__


def ready_response():
    results = readiness()
    failed = [name for name, error in results.items() if error]
    if tuple(failed) != _last_failed["names"]:
        if failed:
            logger.warning("Not ready: %s", "; ".join(f"{name}: {results[name]}" for name in failed))
        else:
            logger.warning("Ready again.")
        _last_failed["names"] = tuple(failed)
    checks = {name: ("ok" if error is None else "failed") for name, error in results.items()}
    if not failed:
        response = JsonResponse({"status": "ready", "checks": checks})
    else:
        body = problem(
            503,
            f"Not ready: {', '.join(failed)}.",
            problem_type="not_ready",
            failed=failed,
            checks=checks,
        )
        response = JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


def live_response():
    response = JsonResponse({"status": "alive"})
    response["Cache-Control"] = "no-store"
    return response


def _quiet(response):
    """Keep Django from logging this response (it logs every 4xx and 5xx by default): a
    probe failing every few seconds would flood the log; the change is logged once above."""
    response._has_been_logged = True  # the flag django.utils.log.log_response checks
    return response


class ProbeMiddleware:
    """Answers ``GET /healthz``, ``GET /readyz`` and ``GET /metrics`` before anything else runs.

    ``/metrics`` is here too: scrapers also call by address, and its token is its guard.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path_info == HEALTH_PATH:
                return live_response()
            if request.path_info == READY_PATH:
                return _quiet(ready_response())
            if request.path_info == METRICS_PATH:
                return _quiet(metrics_response(request))
        return self.get_response(request)
