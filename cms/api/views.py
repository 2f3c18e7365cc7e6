"""The delivery API's read endpoints: locales, page listing, page detail, find by path.

Each view validates its parameters (a bad one is a 400 naming it), resolves the locale,
and answers with bytes from ``representation.py``. Anonymous successful reads are kept
in the response cache, shared with delivery keys; ``middleware.CachedReadMiddleware``
answers a repeat from it (:meth:`ReadView.cached_response`) before the rest of the
stack runs, counted by the throttle like any other request.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from . import caching, clinics, http, listing, lookup, paths, response_cache, sites, tags, throttling
from .auth import ApiKeyAuthentication, find_key, read_credentials, request_has_scope
from .errors import NOT_BLANK, PROBLEM_CONTENT_TYPE, BadParameter, PageNotFound, refuse_loose_params
from .locales import (
    ALL_LOCALES,
    LocaleRequest,
    default_locale,
    fallback_chain,
    locale_names,
    resolve_locale,
    served_locales,
)
from .representation import DRAFT, LIVE, VERSIONS, encode, render_page, summary_representation
from .scoping import SiteScopedView
from .serializers import (
    LocaleListSerializer,
    PageListSerializer,
    PageVersionsSerializer,
    ProblemSerializer,
    page_or_versions_serializer,
)
from .tags import Dependencies
from .types import page_types

PROBLEM = ProblemSerializer
ERRORS = {
    (400, PROBLEM_CONTENT_TYPE): PROBLEM,
    (401, PROBLEM_CONTENT_TYPE): PROBLEM,
    (404, PROBLEM_CONTENT_TYPE): PROBLEM,
    (429, PROBLEM_CONTENT_TYPE): PROBLEM,
}

LOCALE_PARAM = OpenApiParameter(
    "locale",
    str,
    description="Locale to serve; * for every locale. Default: Accept-Language, then the default locale.",
    enum=[*served_locales(), ALL_LOCALES],
)
FALLBACK_PARAM = OpenApiParameter(
    "fallback", str, enum=["true", "false"], description="false: a missing translation is a 404."
)
SITE_PARAM = OpenApiParameter(
    sites.SITE_PARAM,
    str,
    description=(
        "The clinic to read, by its code (e.g. madrid). Default: the clinic whose site's host the request "
        "names, else the hub's default site. An unknown code is a 404; a key bound to a clinic reads only "
        "that clinic, and asking for another is a 404 too."
    ),
)
VERSION_PARAM = OpenApiParameter(
    "version", str, enum=list(VERSIONS), description="draft needs an API key with the preview scope."
)


# Response cache keys by (view, URL arguments, query string, Accept-Language, clinic).
_cache_keys = {}
_CACHE_KEYS_KEPT = 20_000
_UNKNOWN = object()


class ReadView(SiteScopedView, APIView):
    """Base of the read endpoints: API-key authentication, rate limits, caching."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowAny]  # anonymous reads; drafts check the preview scope themselves
    throttle_classes = [http.ApiThrottle]
    allowed_params = frozenset()

    # --- Response cache ---------------------------------------------------------------

    def response_cache_key(self, request, kwargs, scope=None):
        """Key of this request's cached response, or None when it must not be cached."""
        params = request.GET
        if params.get("version", LIVE) != LIVE:
            return None
        try:
            requested = resolve_locale(request).code
        except BadParameter:
            return None
        query = urlencode(sorted(params.lists()), doseq=True)
        arguments = ":".join(f"{name}={value}" for name, value in sorted(kwargs.items()))
        # Hashed: a client can make a query string as long as it likes; keys stay short.
        site_id = scope.site_id if scope is not None else 0
        request_digest = hashlib.blake2b(
            f"{arguments}|{requested}|{query}|{site_id}".encode(), digest_size=16
        ).hexdigest()
        return f"api:v1:response:{type(self).__name__}:{request_digest}"

    def cache_key_for(self, request, kwargs, scope):
        """:meth:`response_cache_key`, worked out once per process for each kind of request."""
        meta = request.META
        memo = (
            type(self),
            tuple(sorted(kwargs.items())),
            meta.get("QUERY_STRING", ""),
            meta.get("HTTP_ACCEPT_LANGUAGE", ""),
            scope,
        )
        found = _cache_keys.get(memo, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.response_cache_key(request, kwargs, scope)
            if len(_cache_keys) >= _CACHE_KEYS_KEPT:
                _cache_keys.clear()  # a bound on memory: clients choose query strings
            _cache_keys[memo] = found
        return found

    @classmethod
    def cached_response(cls, request, kwargs):
        """The cached answer to an anonymous or delivery-key read, or None (see ``CachedReadMiddleware``)."""
        if request.method not in ("GET", "HEAD") or not caching.enabled():
            return None
        raw_key, problem = read_credentials(request)
        if problem is not None:
            return None  # the view refuses it with a 401
        try:
            scope, explicit = sites.scope_for_request(request)
        except (PageNotFound, DatabaseError):
            return None  # the view answers: a 404, or a 503
        api_key = None
        if raw_key is not None:
            api_key = find_key(raw_key)
            if api_key is None or not api_key.is_delivery_key:
                return None  # refused, or a key whose reads are its own: the view answers
            scope = sites.bound_scope(scope, explicit, api_key.site_id)
            if scope is None:
                return None  # another clinic's: the view answers 404
        view = cls()
        view.setup(request, **kwargs)
        with sites.scoped(scope):
            key = view.cache_key_for(request, kwargs, scope)
        entry = response_cache.fetch(key) if key else None
        if entry is None:
            return None
        # A throttled client goes on to the view, which refuses it with a 429.
        if not throttling.check(request, api_key).allowed:
            return None
        response = http.entry_response(request, entry, hit=True)
        response["Allow"] = ", ".join(view.allowed_methods)  # as DRF answers the first read
        return response

    def dispatch(self, request, *args, **kwargs):
        self._cache_key = None
        self._started = response_cache.begin()
        return super().dispatch(request, *args, **kwargs)  # SiteScopedView: the clinic read

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.keep_to_site(request)
        if request.method in ("GET", "HEAD") and caching.enabled():
            self._cache_key = self.cache_key_for(request, kwargs, self.site_scope)
        allowed = self.allowed_params | {sites.SITE_PARAM}
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise BadParameter(unknown[0], "is not a parameter of this endpoint.", sorted(allowed))
        refuse_loose_params(request.query_params)

    def respond(self, request, body, deps, *, content_language=None):
        """A 200 (or 304) for ``body``, built from ``deps``; live responses to anonymous
        clients and delivery keys are cached and shared, other keys' are private."""
        entry = response_cache.make_entry(body, deps, etag=http.etag(body), content_language=content_language)
        shared = request.auth is None or request.auth.is_delivery_key
        if shared:
            entry = response_cache.store(self._cache_key, entry, deps, self._started)
        return http.entry_response(request, entry, private=not shared)

    # --- Parameters shared by page endpoints ------------------------------------------

    def locale_request(self, request):
        return resolve_locale(request)

    def fallback_flag(self, request):
        raw = request.query_params.get("fallback", "true")
        if raw not in ("true", "false"):
            raise BadParameter("fallback", f"'{raw}' is not true or false.", ["true", "false"])
        return raw == "true"

    def version(self, request):
        version = request.query_params.get("version", LIVE)
        if version not in VERSIONS:
            raise BadParameter("version", f"'{version}' is not a version.", VERSIONS)
        if version == DRAFT and not request_has_scope(request, "preview"):
            from rest_framework import exceptions

            if request.auth is None:
                raise exceptions.NotAuthenticated("Drafts need an API key with the 'preview' scope.")
            raise exceptions.PermissionDenied("This API key does not have the 'preview' scope.")
        return version


class LocaleListView(ReadView):
    """The locales this API serves, the default, and the fallback chain of each."""

    @extend_schema(
        parameters=[SITE_PARAM],
        responses={200: LocaleListSerializer, **ERRORS},
        operation_id="locales_list",
        summary="The locales served",
    )
    def get(self, request):
        deps = Dependencies({tags.SITE})
        body = encode(
            {
                "default": default_locale(),
                "results": [
                    {
                        "code": code,
                        "name": name,
                        "default": code == default_locale(),
                        "fallbacks": fallback_chain(code)[1:],
                    }
                    for code, name in locale_names().items()
                    if code in served_locales()
                ],
            }
        )
        return self.respond(request, body, deps)


class PageListView(ReadView):
    """Public pages, one per translation key in the requested locale (fallback applied),
    or every locale's copy with ``locale=*``. Paginated with ``limit``/``offset``."""

    allowed_params = frozenset(
        {"locale", "type", "child_of", "descendant_of", "search", "order", "limit", "offset", "require"}
    )

    @extend_schema(
        operation_id="pages_list",
        summary="Public pages, paginated",
        parameters=[
            SITE_PARAM,
            LOCALE_PARAM,
            OpenApiParameter("type", str, enum=sorted(page_types()), description="A page type."),
            OpenApiParameter("child_of", OpenApiTypes.UUID, description="Key of the parent page."),
            OpenApiParameter("descendant_of", OpenApiTypes.UUID, description="Key of an ancestor page."),
            OpenApiParameter(
                "search",
                {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK},
                description="Full-text search (Wagtail's search backend).",
            ),
            OpenApiParameter("order", str, enum=[*listing.ORDERS, listing.RELEVANCE]),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
                description="Results per page.",
            ),
            OpenApiParameter(
                "offset", {"type": "integer", "minimum": 0, "maximum": 10**9}, description="Results to skip."
            ),
            OpenApiParameter(
                "require",
                str,
                enum=list(listing.REQUIREMENTS),
                description=(
                    "complete: skip incomplete or stale translations. approved: skip pages whose live content "
                    "is not what a medical reviewer approved for the market of their locale (never approved, or "
                    "a device or page it shows changed since; a draft edit awaiting review leaves the approved "
                    "live content in); pages that need no medical review stay, as on the detail. A skipped page "
                    "counts as missing: its key is served from the next locale of the chain that meets the "
                    "requirement, or left out (with locale=*, left out)."
                ),
            ),
        ],
        responses={200: PageListSerializer, **ERRORS},
    )
    def get(self, request):
        locale = self.locale_request(request)
        chain = [] if locale.every_locale else fallback_chain(locale.code)
        query = listing.parse_listing(request.query_params, chain)
        count, rows, deps = listing.page_of_results(query)
        results = [summary_representation(row, requested_locale=locale.code) for row in rows]
        body = encode(
            {
                "count": count,
                "next": self._page_link(request, query.offset + query.limit, query, count),
                "previous": self._page_link(request, query.offset - query.limit, query, count),
                "results": results,
            }
        )
        return self.respond(request, body, deps, content_language=None if locale.every_locale else locale.code)

    def _page_link(self, request, offset, query, count):
        if offset >= count or offset + query.limit <= 0 or offset == query.offset:
            return None
        params = request.query_params.copy()
        params["offset"] = str(max(offset, 0))
        params["limit"] = str(query.limit)
        return paths.absolute(f"{request.path}?{params.urlencode()}")


REQUIRE_APPROVED_PARAM = OpenApiParameter(
    "require",
    str,
    enum=["approved"],
    description=(
        "approved: serve only a page whose live content a medical reviewer approved for the market of its "
        "locale (meta.medical_review.status is approved); others count as missing, so the fallback chain "
        "applies, and with fallback=false the answer is a 404."
    ),
)


def approved_for_market(page):
    """True when ``page`` needs no medical review or its live content is approved for its market.

    A clinic page serves its library page's approval (``clinics.py``): it is judged by the
    library copy it shows.
    """
    from cms.review.approvals import live_content_approved

    if clinics.is_clinic_page(page):
        row = clinics.library_row(page)
        library = clinics.load(row) if row is not None else None
        return library is not None and approved_for_market(library)
    return not getattr(page, "requires_medical_review", False) or live_content_approved(page)


class PageDetailBase(ReadView):
    allowed_params = frozenset({"locale", "fallback", "version", "require"})

    def acceptance(self, request):
        """The ``require`` filter of a detail read, or None."""
        raw = request.query_params.get("require")
        if raw is None:
            return None
        if raw != "approved":
            raise BadParameter("require", f"'{raw}' is not a requirement of this endpoint.", ["approved"])
        return approved_for_market

    def serve(self, request, key, locale: LocaleRequest):
        version = self.version(request)
        draft = version == DRAFT
        deps = Dependencies({tags.translation_key(key), tags.SITE})
        if locale.every_locale:
            pages = lookup.resolve_every_locale(key, draft=draft, accept=self.acceptance(request), deps=deps)
            parts = [
                f'"{code}":'.encode() + render_page(page, requested_locale=code, version=version, deps=deps)
                for code, page in pages.items()
            ]
            body = b'{"key":"' + str(key).encode() + b'","versions":{' + b",".join(parts) + b"}}"
            return self.respond(request, body, deps, content_language=", ".join(pages))
        page = lookup.resolve(
            key,
            locale.code,
            fallback=self.fallback_flag(request),
            draft=draft,
            accept=self.acceptance(request),
            deps=deps,
        )
        body = render_page(page, requested_locale=locale.code, version=version, deps=deps)
        return self.respond(request, body, deps, content_language=page.locale.language_code)


KEYED_ERRORS = {
    (401, PROBLEM_CONTENT_TYPE): PROBLEM,
    (403, PROBLEM_CONTENT_TYPE): PROBLEM,
    **ERRORS,
}
DETAIL_RESPONSES = {
    200: OpenApiResponse(
        page_or_versions_serializer(),
        description=(
            "A page (Page); with locale=*, every locale's page (PageVersions, as /pages/{key}/versions/ serves it)."
        ),
    ),
    **KEYED_ERRORS,
}
KEY_PARAM = OpenApiParameter("key", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The page's translation key.")


class PageDetailView(PageDetailBase):
    """One page by its translation key, the same in every locale."""

    @extend_schema(
        operation_id="pages_retrieve",
        summary="A page by its translation key",
        parameters=[
            KEY_PARAM,
            SITE_PARAM,
            LOCALE_PARAM,
            FALLBACK_PARAM,
            VERSION_PARAM,
            REQUIRE_APPROVED_PARAM,
        ],
        responses=DETAIL_RESPONSES,
    )
    def get(self, request, key):
        return self.serve(request, lookup.parse_key(key), self.locale_request(request))


class PageVersionsView(PageDetailBase):
    """Every locale's page for one key, each as ``/pages/{key}/?locale=<code>`` serves it
    (with fallback); the same as ``/pages/{key}/?locale=*``."""

    allowed_params = frozenset({"version"})

    def locale_request(self, request):
        return LocaleRequest(ALL_LOCALES, "path")

    def response_cache_key(self, request, kwargs, scope=None):
        # Every locale whatever the client prefers: Accept-Language must not split the cache.
        return super().response_cache_key(_WithoutLanguage(request), kwargs, scope)

    @extend_schema(
        operation_id="pages_versions",
        summary="Every locale's page for a translation key",
        parameters=[KEY_PARAM, SITE_PARAM, VERSION_PARAM],
        responses={200: PageVersionsSerializer, **KEYED_ERRORS},
    )
    def get(self, request, key):
        return self.serve(request, lookup.parse_key(key), self.locale_request(request))


class _WithoutLanguage:
    """A request seen without its Accept-Language header (for cache keys)."""

    def __init__(self, request):
        self.GET = request.GET
        self.META = {name: value for name, value in request.META.items() if name != "HTTP_ACCEPT_LANGUAGE"}


class PageFindView(PageDetailBase):
    """The page at a public URL path in any locale, e.g. ``/fr/soins/microneedling/``.

    Served in the path's locale unless ``locale`` asks for another (then its
    translation, with fallback).
    """

    allowed_params = frozenset({"path", "locale", "fallback", "version", "require"})

    @extend_schema(
        operation_id="pages_find",
        summary="A page by its URL path",
        parameters=[
            OpenApiParameter(
                "path",
                {"type": "string", "pattern": "^/"},
                required=True,
                description="A page's URL path, starting with /.",
            ),
            SITE_PARAM,
            LOCALE_PARAM,
            FALLBACK_PARAM,
            VERSION_PARAM,
            REQUIRE_APPROVED_PARAM,
        ],
        responses=DETAIL_RESPONSES,
    )
    def get(self, request):
        from wagtail.models import Page

        from .paths import url_path_for
        from .visibility import public_pages

        path = request.query_params.get("path")
        if not path:
            raise BadParameter("path", "is required, e.g. /en/treatments/microneedling/.")
        if not path.startswith("/"):
            raise BadParameter("path", f"'{path}' must start with /.")
        language, url_paths = url_path_for(path)
        url_paths = [url_path for url_path in url_paths if self.site_scope.holds_url_path(url_path)]
        if language is None:
            raise PageNotFound(
                f"No public page is at {path}: paths start with {', '.join(f'/{c}/' for c in served_locales())}"
            )
        key = (
            public_pages(Page.objects.filter(url_path__in=url_paths, locale__language_code=language))
            .values_list("translation_key", flat=True)
            .first()
        )
        if key is None:
            raise PageNotFound(f"No public page is at {path}.")
        locale = resolve_locale(request) if "locale" in request.query_params else LocaleRequest(language, "path")
        return self.serve(request, key, locale)
