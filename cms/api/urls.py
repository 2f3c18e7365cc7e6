"""Routes of the delivery API, mounted at /api/v1/.

Other endpoints (sync, translation status, bundles) add their routes here; unknown URLs
under /api/ become problem documents through ``errors.ProblemMiddleware``.
"""

from csp.decorators import csp
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from cms.review.api import PreviewView
from cms.security.csp import DOCS, REDOC
from cms.translation.api import TranslationStatusView

from . import views

app_name = "api"
urlpatterns = [
    path("locales/", views.LocaleListView.as_view(), name="locales"),
    path("pages/", views.PageListView.as_view(), name="pages"),
    path("pages/find/", views.PageFindView.as_view(), name="page-find"),
    path("pages/<str:key>/", views.PageDetailView.as_view(), name="page-detail"),
    path("pages/<str:key>/versions/", views.PageVersionsView.as_view(), name="page-versions"),
    # Translation status, for API keys with the "translation" scope (built in cms.translation).
    path("translation-status/", TranslationStatusView.as_view(), name="translation-status"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: nothing from another host,
    # no inline script (Swagger UI's set-up script is a second request to the same view).
    path(
        "docs/",
        csp(DOCS)(SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")),
        name="docs",
    ),
    path(
        "redoc/",
        csp(REDOC)(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")),
        name="redoc",
    ),
    # A draft named by a signed preview link (cms.review), for keys with the preview scope.
    path("preview/<str:token>/", PreviewView.as_view(), name="preview"),
]
