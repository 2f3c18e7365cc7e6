from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.review import website
from cms.security import reports as clinic_reports

urlpatterns = [
    # Wagtail's reports that need a per-clinic answer, at Wagtail's own addresses.
    path("admin/", include(clinic_reports.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("cms.api.urls")),
    path("api/v1/", include("cms.delivery.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Page URLs carry their locale (/en/…, /fr/…): the paths the API serves and finds. The hub
# renders no pages: each URL redirects to the clinic website or answers a 404 problem
# (cms.review.website). Named as Wagtail's own view, which builds page URLs from it.
urlpatterns += i18n_patterns(
    re_path(r"^((?:[\w\-]+/)*)$", website.serve, name="wagtail_serve"), prefix_default_language=True
)
