"""Page URLs on this server (``/fr/soins/microneedling/``): where links to a page lead.

The hub is headless: it renders no HTML pages, yet Wagtail builds "View live", e-mail
and preview links from these URLs. Each one answers without a template: a redirect to
the page's address on the clinic website (Settings › Front-end preview › clinic website
address, per site), or, where none is set or nothing public is at the path, a 404
problem document. A public page's 404 names its JSON in a ``Link`` header. Drafts,
expired and restricted pages answer exactly as a path with nothing at it.
"""

from django.http import HttpResponseRedirect
from django.urls import reverse
from wagtail.models import Page

from cms.api.errors import PageNotFound, problem_response
from cms.api.paths import url_path_for
from cms.api.sites import scope_for_request
from cms.api.visibility import public_pages

from .models import FrontendPreviewSettings


def serve(request, path=""):
    """A redirect to the clinic website's copy of the public page at this path, or a 404 problem."""
    language, url_paths = url_path_for(request.path)
    try:
        scope, _named = scope_for_request(request)  # the Site the Host names: several share /en/
    except PageNotFound:
        scope = None
    url_paths = [url_path for url_path in url_paths if scope is not None and scope.holds_url_path(url_path)]
    page = None
    if language is not None:
        page = (
            public_pages(Page.objects.filter(url_path__in=url_paths, locale__language_code=language))
            .select_related("locale")
            .first()
        )
    if page is None:
        return problem_response(404, f"No public page is at {request.path}.", problem_type="not_found")
    site = page.get_site()
    # Read, never created: an anonymous GET writes nothing.
    website = FrontendPreviewSettings.objects.filter(site=site).values_list("website_url", flat=True).first()
    if website:
        return HttpResponseRedirect(website.rstrip("/") + request.path)
    json_url = reverse("api:page-detail", args=[page.translation_key]) + f"?locale={language}"
    response = problem_response(
        404,
        f"This server serves the page at {request.path} as JSON only, at {json_url}: "
        "set the clinic website address in Settings › Front-end preview to send visitors there.",
        problem_type="not_found",
    )
    response["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response
