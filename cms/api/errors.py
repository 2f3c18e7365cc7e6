"""Errors of the delivery API, all served as ``application/problem+json`` (RFC 9457).

A front-end developer always gets the same shape: ``type``, ``title``, ``status`` and
``detail``; a bad query parameter adds ``invalid_params`` naming each parameter, why it
was refused and, where the set is closed, the values that are allowed.
"""

import re

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.encoding import force_str
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://clinic-content-hub.example/problems/"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    410: "Gone",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}
# Seconds a client (or CDN) should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5
# A database that is restarting or unreachable; not a bug in a query (those stay 500s).
OUTAGES = (OperationalError, InterfaceError)


class BadParameter(exceptions.APIException):
    """A query parameter the API cannot use, e.g. ``?locale=xx`` or ``?limit=100000``.

    ``allowed`` lists the accepted values when they form a closed set (locales, page
    types, orders) so that the client can correct itself without reading the docs.
    """

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameter"

    def __init__(self, name, reason, allowed=None):
        self.invalid_params = [{"name": name, "reason": str(reason)}]
        if allowed is not None:
            self.invalid_params[0]["allowed"] = [str(value) for value in allowed]
        super().__init__(f"Query parameter '{name}': {reason}")


# Whitespace as Python's str.isspace() and JavaScript's \s (which JSON Schema patterns
# use) each define it, together: a value of only these is blank to the server, and the
# schema's NOT_BLANK pattern says the same to any client or fuzzer.
_WHITESPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{_WHITESPACE}]"
_NOT_BLANK = re.compile(NOT_BLANK)


def is_blank(value):
    return not _NOT_BLANK.search(value)


def refuse_loose_params(params, repeatable=()):
    """A 400 naming the first query parameter given twice (unless ``repeatable``) or given empty.

    ``?limit=5&limit=7`` would otherwise mean whichever value the code happens to read,
    and ``?limit=`` the default: both hide a client's mistake.
    """
    for name in sorted(params):
        values = params.getlist(name)
        if len(values) > 1 and name not in repeatable:
            raise BadParameter(name, f"is given {len(values)} times; give it once.")
        if any(is_blank(value) for value in values):
            raise BadParameter(name, "is empty; give a value or leave the parameter out.")


class PageNotFound(exceptions.NotFound):
    """No public page answers the request (or the caller may not see it)."""


def problem(status_code, detail, *, problem_type=None, **extra):
    """The problem document for ``status_code`` as a dict."""
    body = {
        "type": PROBLEM_TYPE_BASE + (problem_type or _slug(status_code)),
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": force_str(detail),
    }
    body.update(extra)
    return body


def problem_response(status_code, detail, **extra):
    """A plain Django response carrying a problem document (outside DRF views)."""
    return JsonResponse(problem(status_code, detail, **extra), status=status_code, content_type=PROBLEM_CONTENT_TYPE)


class Unavailable(exceptions.APIException):
    """The database is out of reach for a moment: a 503 that tells the client to try again."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"
    default_detail = "The content store is briefly unavailable; try again in a few seconds."


def unavailable_response():
    """The 503 problem document for an outage outside a DRF view (see ``middleware.py``)."""
    response = problem_response(503, Unavailable.default_detail, problem_type=Unavailable.default_code)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error a view raises becomes a problem document."""
    if isinstance(exc, OUTAGES):
        exc = Unavailable()
        exc.wait = RETRY_AFTER_SECONDS
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (and ProblemMiddleware) take it
    extra = {}
    if isinstance(exc, BadParameter):
        extra["invalid_params"] = exc.invalid_params
        detail = exc.detail
    elif isinstance(exc, exceptions.ValidationError):
        extra["invalid_params"] = _validation_params(exc.detail)
        detail = "Some parameters are not valid."
    else:
        detail = exc.detail if isinstance(exc.detail, str) else _flatten(exc.detail)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait)
    if isinstance(exc, Unavailable):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    body = problem(response.status_code, detail, problem_type=getattr(exc, "default_code", None), **extra)
    headers = {k: v for k, v in response.items() if k.lower() in {"retry-after", "www-authenticate", "allow"}}
    new = Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    new["Cache-Control"] = "no-store"
    return new


def _slug(status_code):
    return TITLES.get(status_code, "error").lower().replace(" ", "_")


def _flatten(detail):
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return force_str(detail)


def _validation_params(detail):
    if isinstance(detail, dict):
        return [{"name": key, "reason": _flatten(value)} for key, value in detail.items()]
    return [{"name": "non_field_errors", "reason": _flatten(detail)}]
