"""HTTP plumbing shared by the API's read endpoints: validators, caching headers,
throttling and the response cache.

Every successful read carries ``ETag`` (a hash of the body) and ``Last-Modified`` (when
published content last changed, see ``caching.py``) and answers ``If-None-Match`` /
``If-Modified-Since`` with 304. ``Cache-Control`` comes from ``API_CACHE_CONTROL``;
responses for API-key holders are ``private, no-store``.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.throttling import SimpleRateThrottle

from . import caching

JSON = "application/json"
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def make_entry(body, *, content_language=None, token=None):
    """What the response cache stores for one successful read."""
    token = token or caching.generation()
    return {
        "body": body,
        "etag": '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        "last_modified": int(caching.generation_time(token).timestamp()),
        "content_language": content_language,
    }


def entry_response(request, entry, *, private=False):
    """The response for a cache entry, or a 304 when the client's copy is current."""
    response = HttpResponse(entry["body"], content_type=JSON)
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    if entry["content_language"]:
        response["Content-Language"] = entry["content_language"]
    response["Cache-Control"] = "private, no-store" if private else settings.API_CACHE_CONTROL
    response["Vary"] = "Accept-Language"
    if not any(header in request.META for header in _CONDITIONAL_HEADERS):
        return response
    conditional = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )
    if conditional is not response:
        # A 304 repeats the headers a cache needs to refresh its copy.
        for header in ("Cache-Control", "Vary", "Content-Language", "Last-Modified"):
            if header in response:
                conditional[header] = response[header]
    return conditional


class AnonymousThrottle(SimpleRateThrottle):
    """Limits clients without an API key, per IP, at ``API_ANON_THROTTLE_RATE``
    (e.g. "300/minute"; empty to switch off). Over the limit: 429 with ``Retry-After``."""

    scope = "anonymous"

    def get_rate(self):
        return getattr(settings, "API_ANON_THROTTLE_RATE", None) or None

    def get_cache_key(self, request, view):
        from .auth import carries_credentials

        if carries_credentials(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
