"""One log line and one metric observation per request, tied together by a request id.

The id comes from the proxy's ``X-Request-ID`` when it looks like one (letters, digits
and ``-._:``, at most 128), so a request can be followed from nginx to here; otherwise
a new one is made. It is sent back as ``X-Request-ID`` and bound to every log line
written while the request is served.

The line has the method, the path (never the query string, which is the client's),
the route (the URL pattern), the status, the duration and, for API reads, ``X-Cache``.
No header is logged, so API keys and cookies never are.
"""

import re
import time
import uuid

import structlog
from django.urls import Resolver404, resolve

from . import metrics
from .logs import request_logger

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_of(request):
    sent = request.headers.get(HEADER, "")
    return sent if _VALID_ID.match(sent) else uuid.uuid4().hex


def route_of(request):
    """The URL pattern that served the request (a bounded label), or ``unmatched``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution (the response cache): resolve it here.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return "/" + (match.route or match.view_name or "")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = request_logger()

    def __call__(self, request):
        request_id = request_id_of(request)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[HEADER] = request_id
        route = route_of(request)
        cache_result = response.get("X-Cache")
        metrics.observe_request(request.method, route, response.status_code, seconds, cache_result)
        self.logger.info(
            "request",
            method=request.method,
            path=request.path,
            route=route,
            status=response.status_code,
            duration_ms=round(seconds * 1000, 2),
            cache=cache_result,
        )
        return response


def forget_request_id(**_kwargs):
    """On ``request_finished``: after Django's own lines about the response (a 4xx/5xx
    warning is written once the middleware returned), nothing more is this request's."""
    structlog.contextvars.clear_contextvars()
