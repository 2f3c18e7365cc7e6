"""Authentication by API key, and the scope check other endpoints reuse.

Usage in a view::

    from cms.api.auth import ApiKeyAuthentication, HasScope

    class SyncView(APIView):
        authentication_classes = [ApiKeyAuthentication]
        permission_classes = [HasScope("export")]

A client sends ``Authorization: Api-Key <key>`` (or ``X-Api-Key: <key>``). No header
means an anonymous client; a wrong or revoked key, and a header that is blank or
malformed, is a 401, never silently anonymous, so a misconfigured app notices.
"""

import re

from rest_framework import authentication, exceptions, permissions

from . import tags
from .models import ApiKey

KEYWORD = "Api-Key"
HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY")
# A key is "<8 hex digits>.<url-safe characters>" (models.generate_raw_key).
_WELL_FORMED = re.compile(r"[0-9a-f]{8}\.[A-Za-z0-9_-]{1,128}")


def find_key(raw_key):
    """The active key matching ``raw_key``, or None, as ``ApiKey.objects.for_raw_key`` finds
    it, except that the key with that prefix is kept in the process until any key is saved
    or deleted (the invalidation log's ``keys`` tag, ``signals.py``), so a revoke elsewhere
    still counts within a second. The secret is checked on every request."""
    from .site_index import remembered

    prefix = raw_key.split(".", 1)[0]
    candidate = remembered(tags.API_KEYS, prefix, lambda: ApiKey.objects.candidate(raw_key))
    return candidate if candidate is not None and ApiKey.objects.matches(candidate, raw_key) else None


def carries_credentials(request):
    """Whether the request sends a credential header at all, even an empty one."""
    return any(header in request.META for header in HEADERS)


def read_credentials(request):
    """``(raw_key, problem)``: the key a request carries, or why the header cannot be used.

    ``(None, None)`` when there is no credential header. A header that is present but
    blank, of another scheme, sent twice over (both headers) or not shaped like a key is
    a problem, never an anonymous request. Reads Django's META, so it works before DRF.
    """
    present = [header for header in HEADERS if header in request.META]
    if not present:
        return None, None
    if len(present) > 1:
        return None, f"Send the key in one header: 'Authorization: {KEYWORD} <key>' or 'X-Api-Key: <key>'."
    value = request.META[present[0]]
    if present[0] == "HTTP_AUTHORIZATION":
        scheme, _space, value = value.strip(" \t").partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None, f"Use 'Authorization: {KEYWORD} <key>'."
    value = value.strip(" \t")
    if not value:
        return None, "The API key header is empty."
    if not _WELL_FORMED.fullmatch(value):
        return None, "This is not an API key: keys look like 'abcd1234.<43 characters>'."
    return value, None


def raw_key_from(request):
    """The well-formed key a request carries, or None."""
    return read_credentials(request)[0]


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Sets ``request.auth`` to the :class:`ApiKey`; ``request.user`` stays None.

    A refused key counts against its address's anonymous rate limit, so that guessing
    keys is limited like anonymous reads (a 429 once over it).
    """

    def authenticate(self, request):
        raw_key, problem = read_credentials(request)
        if raw_key is None and problem is None:
            return None
        api_key = find_key(raw_key) if raw_key else None
        if api_key is None:
            from . import throttling

            outcome = throttling.check(request)
            if not outcome.allowed:
                raise exceptions.Throttled(outcome.wait)
            raise exceptions.AuthenticationFailed(problem or "This API key is unknown or has been revoked.")
        return (None, api_key)

    def authenticate_header(self, request):
        return KEYWORD


def request_has_scope(request, scope):
    api_key = getattr(request, "auth", None)
    return isinstance(api_key, ApiKey) and api_key.has_scope(scope)


def HasScope(scope):  # noqa: N802 - reads like a class where it is used: permission_classes = [HasScope("export")]
    """A DRF permission class admitting only keys granted ``scope``.

    Anonymous callers get a 401 (they should send a key); a key without the scope
    gets a 403.
    """

    class _HasScope(permissions.BasePermission):
        message = f"This API key does not have the '{scope}' scope."

        def has_permission(self, request, view):
            if getattr(request, "auth", None) is None:
                raise exceptions.NotAuthenticated(f"Send an API key with the '{scope}' scope.")
            return request_has_scope(request, scope)

    _HasScope.__name__ = f"HasScope_{scope}"
    _HasScope.scope = scope
    return _HasScope
