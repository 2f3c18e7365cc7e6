"""Middleware keeping everything under ``/api/`` in the API's own terms.

- :class:`ProblemMiddleware` turns Django's 404 and 500 pages into problem documents.
- :class:`CachedReadMiddleware` answers repeat anonymous (and delivery-key) reads from the
  response cache.
- :class:`ApiVersionMiddleware` names the document's version on every response.
- :class:`LocaleMiddleware` is Django's, except that it never redirects an API 404 to a
  language-prefixed URL (``/en/api/v1/…``): the API picks locales itself.
"""

from functools import lru_cache

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, resolve

from .errors import OUTAGES, PROBLEM_CONTENT_TYPE, problem_response, unavailable_response

API_PREFIX = "/api/"
_REFUSALS = {
    400: "The request is not valid here (for example, its Host is not one this server answers to).",
    403: "This client may not use the API.",
    412: "The page no longer matches the If-Match or If-Unmodified-Since condition.",
}


API_VERSION_HEADER = "API-Version"


def api_version():
    """The OpenAPI document's ``info.version``: one number for the document and the header."""
    return settings.SPECTACULAR_SETTINGS["VERSION"]


class ApiVersionMiddleware:
    """``API-Version`` on every response under ``/api/`` (successes, errors, cached reads),
    so that a client can tell when the document it was generated from changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            response[API_VERSION_HEADER] = api_version()
        return response


class ProblemMiddleware:
    """Turns Django's own error pages under ``/api/`` (404, 500, 400, 403, 412) into problem documents.

    DRF's handler covers errors inside its views; this covers the rest: an unknown URL
    such as ``/api/v1/nope/`` and errors raised outside a view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        if response.status_code == 404:
            return problem_response(404, f"There is nothing at {request.path}.", problem_type="not_found")
        if response.status_code >= 500:
            return problem_response(response.status_code, "The server failed to answer this request.")
        if response.status_code >= 400:
            # Django's own refusals: a Host not in ALLOWED_HOSTS, a refused client, a failed If-Match.
            return problem_response(response.status_code, _REFUSALS.get(response.status_code, "Request refused."))
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return problem_response(404, f"There is nothing at {request.path}.", problem_type="not_found")
        if isinstance(exception, OUTAGES):
            return unavailable_response()
        return None  # let Django log it; __call__ rewrites the 500 page


@lru_cache(maxsize=4096)
def _read_view_match(path):
    """The URL match of an API read view at ``path``, or None (kept per path: API URLs
    have no language prefix, so the answer depends on the path alone)."""
    from .views import ReadView

    try:
        match = resolve(path)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    return match if view_class is not None and issubclass(view_class, ReadView) else None


class CachedReadMiddleware:
    """Answers a repeat anonymous or delivery-key read under ``/api/`` from the response cache.

    It sits below the CORS, security, common (allowed hosts, Content-Length) and
    X-Frame-Options middleware, whose checks and headers every response needs, and above
    the CSRF, authentication, messages and redirect middleware, none of which changes an
    anonymous API read: a cached read skips them. Anything it cannot answer (a miss, an
    API key other than a delivery key, a throttled client, another URL) goes on down the stack.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info.startswith(API_PREFIX):
            response = self.cached(request)
            if response is not None:
                return response
        return self.get_response(request)

    def cached(self, request):
        match = _read_view_match(request.path_info)
        if match is None:
            return None
        view_class = match.func.view_class
        response = view_class.cached_response(request, match.kwargs)
        if response is not None:
            request.resolver_match = match  # as Django sets it for a view: logs and metrics name the route
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus the redirect of API 404s to ``/<lang>/api/…``."""

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
