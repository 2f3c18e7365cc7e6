"""``GET /api/v1/translation-status/``: translation status for keys with the
``translation`` scope, e.g. a localisation vendor's dashboard or a release check.

The same rows as ``manage.py translation_status --format json`` and the admin report:
every page written in the default locale, per target locale, with where the source page
and its translation stand in medical review.
"""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Locale

from cms.api.auth import ApiKeyAuthentication, HasScope
from cms.api.errors import PROBLEM_CONTENT_TYPE, BadParameter, refuse_loose_params
from cms.api.http import ApiThrottle
from cms.api.serializers import ProblemSerializer
from cms.review.models import ReviewStatus

from .status import STATES, only_complete, status_rows

SCOPE = "translation"
ALLOWED_PARAMS = ("locale", "state")
REQUIRE_VALUES = ("complete",)


def apply_require(pages, value):
    """The delivery API's ``?require=complete``: keep only pages whose translation into
    their own locale is complete (not stale, nothing untranslated), so an app can refuse
    an incomplete or outdated safety checklist. ``None`` (parameter absent) keeps all.

    Raises ``BadParameter`` for any other value, listing the allowed ones.
    """
    if value is None:
        return pages
    if value not in REQUIRE_VALUES:
        raise BadParameter("require", f"use one of {', '.join(REQUIRE_VALUES)}.", REQUIRE_VALUES)
    return only_complete(pages)


class TranslationSegmentCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    translated = serializers.IntegerField()
    stale = serializers.IntegerField(help_text="Translated once, but the source text changed since.")
    untranslated = serializers.IntegerField()
    machine = serializers.IntegerField(help_text="Translations in use that a machine translator made.")
    flagged = serializers.IntegerField(
        help_text="Translations in use that failed a check (numbers, markup, placeholders, length, glossary); "
        "they hold back publishing until fixed or accepted by a reviewer."
    )


REVIEW_HELP = (
    "approved: the live content is what a medical reviewer approved for the market; needs_re_review: the "
    "approval of the live content was voided (an edit, a device it shows or the title of a page it shows "
    "changed since); not_reviewed: no approval covers the live content; null: the page needs no medical "
    "review{extra}."
)


def review_field(extra=""):
    return serializers.ChoiceField(
        choices=ReviewStatus.values, allow_null=True, help_text=REVIEW_HELP.format(extra=extra)
    )


class TranslationStatusPageSerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text="Translation key, the same for every locale's copy of the page.")
    id = serializers.IntegerField(help_text="Id of the source page.")
    title = serializers.CharField()
    path = serializers.CharField(help_text="Wagtail URL path of the source page.")
    review = review_field()


class PageTranslationStatusSerializer(serializers.Serializer):
    page = TranslationStatusPageSerializer()
    locale = serializers.CharField()
    state = serializers.ChoiceField(choices=STATES)
    page_id = serializers.IntegerField(allow_null=True, help_text="Id of the page in this locale; null if missing.")
    complete = serializers.BooleanField()
    percent = serializers.IntegerField(help_text="Whole percent translated, rounded down.")
    segments = TranslationSegmentCountsSerializer()
    review = review_field(" or does not exist in this locale yet")
    source_changed_at = serializers.DateTimeField(allow_null=True)
    translated_at = serializers.DateTimeField(allow_null=True)
    last_change = serializers.DateTimeField(allow_null=True)


class TranslationStatusReportSerializer(serializers.Serializer):
    source_locale = serializers.CharField()
    count = serializers.IntegerField()
    results = PageTranslationStatusSerializer(many=True)


PROBLEM = OpenApiResponse(ProblemSerializer, description="A problem document (application/problem+json).")


class TranslationStatusView(APIView):
    """Translation status of every page per target locale (API key with the ``translation`` scope)."""

    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ApiThrottle]
    permission_classes = [HasScope(SCOPE)]

    @extend_schema(
        operation_id="translation_status_list",
        summary="Translation status per page and locale",
        # The "ApiKey" security scheme is the delivery API's (cms.api.schema).
        auth=[{"ApiKey": []}],
        parameters=[
            OpenApiParameter(
                "locale",
                str,
                enum=settings.CMS_LOCALES[1:],
                description="Only this target locale, e.g. fr. Default: every one.",
            ),
            OpenApiParameter("state", str, enum=list(STATES), description="Only rows in this state."),
        ],
        responses={
            200: TranslationStatusReportSerializer,
            **{(code, PROBLEM_CONTENT_TYPE): PROBLEM for code in (400, 401, 403)},
        },
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - set(ALLOWED_PARAMS))
        if unknown:
            raise BadParameter(unknown[0], f"unknown parameter; use {', '.join(ALLOWED_PARAMS)}.", ALLOWED_PARAMS)
        refuse_loose_params(request.query_params)
        default = Locale.get_default()
        locales = None
        code = request.query_params.get("locale")
        if code is not None:
            targets = {locale.language_code: locale for locale in Locale.objects.exclude(pk=default.pk)}
            if code not in targets:
                reason = "the source locale is not translated into" if code == default.language_code else "unknown"
                raise BadParameter("locale", f"{reason}; use one of {', '.join(sorted(targets))}.", sorted(targets))
            locales = [targets[code]]
        state = request.query_params.get("state")
        if state is not None and state not in STATES:
            raise BadParameter("state", f"unknown state; use one of {', '.join(STATES)}.", STATES)
        rows = status_rows(locales=locales)
        if state is not None:
            rows = [row for row in rows if row.status.state == state]
        body = {
            "source_locale": default.language_code,
            "count": len(rows),
            "results": [row.as_dict() for row in rows],
        }
        return Response(body, headers={"Cache-Control": "private, no-store"})
