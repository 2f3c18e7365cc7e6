"""HTTP endpoints of the delivery app: the sync feed and bundle downloads.

Both need an API key with the ``export`` scope (``Authorization: Api-Key <key>``);
errors are problem documents like the rest of the API.
"""

import json
import re
import shutil
import tempfile
from pathlib import Path

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.views import APIView

from cms.api.auth import ApiKeyAuthentication, HasScope
from cms.api.cursors import BadCursor
from cms.api.errors import (
    PROBLEM_CONTENT_TYPE,
    BadParameter,
    exception_handler,
    problem_response,
    refuse_loose_params,
)
from cms.api.http import ApiThrottle
from cms.api.locales import parse_locale_param, served_locales
from cms.api.models import Scope
from cms.api.scoping import SiteScopedView
from cms.api.serializers import ProblemSerializer, polymorphic_page_serializer
from cms.api.views import SITE_PARAM

from . import feed, schema  # noqa: F401 - schema registers the key scheme for the docs
from .bundles import BundleError, export_bundle
from .retention import CursorExpired

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PROBLEMS = {(code, PROBLEM_CONTENT_TYPE): ProblemSerializer for code in (400, 401, 403, 404)}


class DeliveryView(SiteScopedView, APIView):
    """One clinic's feed or bundle: the clinic named by ``?site=`` or the Host, or the
    clinic of a key bound to one (another clinic's is a 404), as the page endpoints do."""

    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ApiThrottle]
    permission_classes = [HasScope(Scope.EXPORT)]

    repeatable_params = ()

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF refuses an undeclared method only after initial(): its parameters do not matter.
        if getattr(self, request.method.lower(), None) is None:
            raise MethodNotAllowed(request.method)
        self.keep_to_site(request)
        refuse_loose_params(request.query_params, self.repeatable_params)


def parse_limit(value):
    if value is None:
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise BadParameter("limit", f"'{value}' is not a whole number from 1 to {MAX_LIMIT}.")
    return limit


def export_locales_pattern():
    """``?locale=`` of the export: served locale codes, one or several separated by commas."""
    codes = "|".join(re.escape(code) for code in served_locales())
    return f"^(?:{codes})(?:,(?:{codes}))*$"


def required_locale(params):
    if "locale" not in params:
        raise BadParameter("locale", "Name the locale to sync; each locale has its own feed.", served_locales())
    return parse_locale_param(params.get("locale"), allow_all=False)


class SyncView(DeliveryView):
    """The change feed of one locale of one clinic, for apps that keep content offline.

    Start without ``cursor``: the answer is the first page of a full sync. Keep calling
    with the ``cursor`` of each answer while ``has_more`` is true, then store it. Later,
    call with the stored cursor to get what changed since: ``upserts`` (pages exactly as
    ``/api/v1/pages/{key}/`` serves them; replace what you hold under that key) and
    ``tombstones`` (keys this locale no longer serves; delete them). A change to a page
    that this locale falls back to appears here too, and so does a library change to a
    page the clinic shows, as an upsert of the clinic's own page.
    """

    @extend_schema(
        operation_id="sync",
        summary="Changes of one locale since a cursor",
        parameters=[
            SITE_PARAM,
            OpenApiParameter("locale", OpenApiTypes.STR, required=True, enum=served_locales()),
            OpenApiParameter(
                "cursor",
                {"type": "string", "pattern": feed.CURSOR_PATTERN},
                description="From the previous answer; omit to start.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"Items per answer, 1–{MAX_LIMIT}.",
            ),
        ],
        responses={
            200: inline_serializer(
                "SyncBatch",
                {
                    "site": serializers.CharField(
                        allow_null=True, help_text="The clinic whose feed this is (its code, as ?site= takes it)."
                    ),
                    "locale": serializers.CharField(),
                    "full_sync": serializers.BooleanField(help_text="Part of a full sync: start from an empty store."),
                    "cursor": serializers.CharField(help_text="Send it back to continue."),
                    "has_more": serializers.BooleanField(help_text="Call again at once with the cursor."),
                    "next": serializers.CharField(allow_null=True, help_text="The URL to call next, if has_more."),
                    "upserts": serializers.ListField(child=polymorphic_page_serializer()),
                    "tombstones": inline_serializer("Tombstone", {"key": serializers.UUIDField()}, many=True),
                },
            ),
            **PROBLEMS,
            (410, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The cursor is older than the changes kept: sync in full again."
            ),
        },
    )
    def get(self, request):
        locale = required_locale(request.query_params)
        limit = parse_limit(request.query_params.get("limit"))
        cursor = request.query_params.get("cursor")
        try:
            batch = feed.read(locale, cursor, limit)
        except BadCursor as exc:
            raise BadParameter("cursor", str(exc)) from None
        except CursorExpired as exc:
            response = problem_response(410, str(exc), problem_type="cursor_expired")
            response["Cache-Control"] = "no-store"
            return response
        next_url = None
        if batch.has_more:
            query = request.query_params.copy()
            query["cursor"] = batch.cursor
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        head = {
            "site": self.site_scope.code if self.site_scope else None,
            "locale": batch.locale,
            "full_sync": batch.full_sync,
            "cursor": batch.cursor,
            "has_more": batch.has_more,
            "next": next_url,
            "tombstones": [{"key": key} for key in batch.tombstones],
        }
        # Pages go in as the exact bytes the detail endpoint serves, not re-encoded.
        body = json.dumps(head, separators=(",", ":"))[:-1].encode() + b',"upserts":['
        body += b",".join(batch.upserts) + b"]}"
        response = HttpResponse(body, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response


class ExportView(DeliveryView):
    """One clinic's export bundle of ``manage.py export_content``, as a zip file.

    ``?locale=fr`` (repeat, or separate with commas, for several); every served locale
    when omitted.
    """

    repeatable_params = ("locale",)

    @extend_schema(
        operation_id="export",
        summary="The export bundle as a zip",
        parameters=[
            SITE_PARAM,
            OpenApiParameter(
                "locale",
                {"type": "array", "items": {"type": "string", "pattern": export_locales_pattern()}},
                description="Locales to include (repeat, or separate with commas); default all.",
            ),
        ],
        responses={
            # OpenAPI 3.1 describes binary content by its media type alone.
            (200, "application/zip"): OpenApiResponse(
                {"contentMediaType": "application/zip"}, description="The bundle."
            ),
            **PROBLEMS,
        },
    )
    def get(self, request):
        requested = [code for value in request.query_params.getlist("locale") for code in value.split(",")]
        locales = [parse_locale_param(code, allow_all=False) for code in requested] or None
        workspace = Path(tempfile.mkdtemp(prefix="cms-export-"))
        try:
            zip_path = workspace / "bundle.zip"
            try:
                export_bundle(workspace / "bundle", locales, zip_path=zip_path)
            except BundleError as exc:
                raise BadParameter("locale", str(exc), served_locales()) from None
            archive = open(zip_path, "rb")  # noqa: SIM115 - FileResponse closes it
        finally:
            # The open handle keeps the zip readable after its folder is removed.
            shutil.rmtree(workspace, ignore_errors=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response = FileResponse(
            archive, as_attachment=True, filename=f"content-{stamp}.zip", content_type="application/zip"
        )
        response["Cache-Control"] = "no-store"
        return response
