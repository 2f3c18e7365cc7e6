"""HTTP plumbing shared by the API's read endpoints: validators, caching headers,
throttling and the response cache.

Every successful read carries ``ETag`` (a hash of the body, the same in every process)
and ``Last-Modified`` (the latest change among what it shows, see
``response_cache.py``), answers ``If-None-Match`` / ``If-Modified-Since`` with 304, and
names its dependencies in ``Cache-Tag`` (Cloudflare) and ``Surrogate-Key`` (Fastly) so
that a CDN purges exactly what a change touches. ``Cache-Control`` comes from
``API_CACHE_CONTROL``, its ``max-age`` cut short when something shown expires or goes
live sooner; responses for API-key holders are ``private, no-store``, except for
delivery keys, which share the anonymous responses. ``X-Cache`` says
whether the answer came from the response cache.
"""

import hashlib
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.throttling import BaseThrottle

from . import throttling
from .models import ApiKey

JSON = "application/json"
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age=(\d+)")


def etag(body):
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def cache_control(valid_until):
    """``API_CACHE_CONTROL``, with ``max-age`` no later than ``valid_until`` (a timestamp) and,
    when that is sooner, no stale-* allowance: nothing is served past an expiry."""
    configured = settings.API_CACHE_CONTROL
    if valid_until is None:
        return configured
    remaining = max(0, int(valid_until - timezone.now().timestamp()))
    match = _MAX_AGE.search(configured)
    if match and int(match[1]) <= remaining:
        return configured
    kept = [
        part.strip()
        for part in configured.split(",")
        if part.strip() and not part.strip().startswith(("max-age", "stale-", "s-maxage"))
    ]
    return ", ".join([*kept, f"max-age={remaining}"])


def entry_response(request, entry, *, private=False, hit=False):
    """The response for a cache entry (``response_cache.py``), or a 304 when the client's copy is current."""
    response = HttpResponse(entry["body"], content_type=JSON)
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry.get("last_modified_http") or http_date(entry["last_modified"])
    if entry["content_language"]:
        response["Content-Language"] = entry["content_language"]
    if private:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = cache_control(entry["valid_until"])
        # Tags hold neither spaces nor commas: one value, two separators.
        response["Cache-Tag"] = entry["surrogate_key"].replace(" ", ",")
        response["Surrogate-Key"] = entry["surrogate_key"]
    response["Vary"] = "Accept-Language"
    response["X-Cache"] = "hit" if hit else "miss"
    if not any(header in request.META for header in _CONDITIONAL_HEADERS):
        return response
    conditional = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )
    if conditional is not response:
        # A 304 repeats the headers a cache needs to refresh its copy.
        for header in ("Cache-Control", "Vary", "Content-Language", "Last-Modified", "Cache-Tag", "Surrogate-Key"):
            if header in response:
                conditional[header] = response[header]
        conditional["X-Cache"] = response["X-Cache"]
    return conditional


class ApiThrottle(BaseThrottle):
    """The API's rate limits (``throttling.py``): anonymous clients per address, keys per key.
    Over the limit: 429 with ``Retry-After``."""

    outcome = throttling.ALLOWED

    def allow_request(self, request, view):
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        self.outcome = throttling.check(request, api_key)
        return self.outcome.allowed

    def wait(self):
        return self.outcome.wait
