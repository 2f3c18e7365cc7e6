"""Authentication by API key, and the scope check other endpoints reuse.

Usage in a view::

    from cms.api.auth import ApiKeyAuthentication, HasScope

    class SyncView(APIView):
        authentication_classes = [ApiKeyAuthentication]
        permission_classes = [HasScope("export")]

A client sends ``Authorization: Api-Key <key>`` (or ``X-Api-Key: <key>``). No header
means an anonymous client; a wrong or revoked key is a 401, never silently anonymous,
so a misconfigured app notices.
"""

from rest_framework import authentication, exceptions, permissions

from .models import ApiKey

KEYWORD = "Api-Key"


def raw_key_from(request):
    """The key a request carries, or None. Reads Django's META so it works before DRF."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[: len(KEYWORD) + 1].lower() == f"{KEYWORD.lower()} ":
        return header[len(KEYWORD) + 1 :].strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


def carries_credentials(request):
    """Whether the request names a key at all (such requests never share cached responses)."""
    return bool(request.META.get("HTTP_AUTHORIZATION") or request.META.get("HTTP_X_API_KEY"))


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Sets ``request.auth`` to the :class:`ApiKey`; ``request.user`` stays None."""

    def authenticate(self, request):
        raw_key = raw_key_from(request)
        if raw_key is None:
            if request.META.get("HTTP_AUTHORIZATION"):
                raise exceptions.AuthenticationFailed(f"Use 'Authorization: {KEYWORD} <key>'.")
            return None
        api_key = ApiKey.objects.for_raw_key(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed("This API key is unknown or has been revoked.")
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
