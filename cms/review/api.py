"""``GET /api/v1/preview/<token>/``: the draft a signed preview link names, for a front-end.

The clinic website's preview page receives the token in its URL (see the site's
“Front-end preview” setting) and calls this endpoint with its API key, which must have
the ``preview`` scope. The answer is the page object exactly as the detail endpoint
shapes it, built from the draft (or the translation in progress), never cached.
"""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.views import APIView

from cms.api.auth import ApiKeyAuthentication, HasScope
from cms.api.errors import PROBLEM_CONTENT_TYPE
from cms.api.http import ApiThrottle
from cms.api.models import Scope
from cms.api.representation import DRAFT, render_page
from cms.api.serializers import ProblemSerializer, polymorphic_page_serializer
from cms.review.signing import PreviewLinkError, PreviewLinkExpired, draft_of, read_preview_token


class PreviewLinkGone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "preview_link_expired"
    default_detail = "This preview link has expired."


class PreviewLinkUnknown(exceptions.NotFound):
    default_code = "preview_link_invalid"


class PreviewView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ApiThrottle]
    permission_classes = [HasScope(Scope.PREVIEW)]

    @extend_schema(
        summary="A draft named by a signed preview link",
        description=(
            "Needs an API key with the `preview` scope. The token comes from the admin's "
            "“Share preview” screen and expires after the site's configured lifetime."
        ),
        responses={
            200: OpenApiResponse(polymorphic_page_serializer(), description="The page object, built from the draft."),
            (401, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="No API key, or an unknown one."
            ),
            (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The key lacks the preview scope."
            ),
            (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The token is not valid, or its page is gone."
            ),
            (410, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="The token has expired."),
        },
    )
    def get(self, request, token):
        try:
            page = read_preview_token(token)
        except PreviewLinkExpired as exc:
            raise PreviewLinkGone(str(exc)) from exc
        except PreviewLinkError as exc:
            raise PreviewLinkUnknown(str(exc)) from exc
        locale = page.locale.language_code
        body = render_page(draft_of(page), requested_locale=locale, request=request, version=DRAFT, use_cache=False)
        response = HttpResponse(body, content_type="application/json")
        response["Content-Language"] = locale
        # A draft is for the key holder only: no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
        return response
