"""The project's URLs plus Wagtail API v2 and v3 and a trivial JSON view (benchmark only)."""

from django.http import JsonResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as wagtail_api_v3

from cms.urls import urlpatterns as project_urlpatterns

wagtail_api_v2 = WagtailAPIRouter("wagtailapi")
wagtail_api_v2.register_endpoint("pages", PagesAPIViewSet)


def trivial(request):
    """The framework floor: the same middleware, no database, a tiny JSON body."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("wagtail-api/v2/", wagtail_api_v2.urls),
    path("wagtail-api/v3/", wagtail_api_v3.urls),
    *project_urlpatterns,
]
