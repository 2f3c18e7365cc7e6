"""Page URLs on the hub ("View live", e-mail links) never answer 500: a redirect to the
clinic website, or a 404 problem document. Every page type of the demo, in every locale,
read anonymously."""

import pytest
from django.test import Client
from wagtail.models import Page, Site

from cms.api.locales import served_locales
from cms.review.models import FrontendPreviewSettings
from pages.models import ProcedurePage
from tests.api.conftest import demo_site  # noqa: F401 (a fixture)


@pytest.fixture
def live_pages(demo_site, db):  # noqa: F811 (the fixture imported above)
    pages = list(Page.objects.live().filter(depth__gt=1).specific())
    assert {type(page).__name__ for page in pages} >= {
        "HomePage",
        "ProcedurePage",
        "BenefitsPage",
        "DeviceComparisonPage",
        "SafetyChecklistPage",
    }
    assert {page.locale.language_code for page in pages} == set(served_locales())
    return pages


def on_its_site(page):
    """``(host, path)`` of a page's URL on its own Site (the group's or a clinic's)."""
    site_id, _root_url, path = page.get_url_parts()
    return Site.objects.get(pk=site_id).hostname, path


def test_without_a_website_every_page_url_is_a_404_problem_naming_its_json(live_pages):
    client = Client()
    for page in live_pages:
        host, path = on_its_site(page)
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 404, (host, path)
        assert response["Content-Type"] == "application/problem+json"
        expected = f"/api/v1/pages/{page.translation_key}/?locale={page.locale.language_code}"
        assert response["Link"] == f'<{expected}>; rel="alternate"; type="application/json"'
        # Read on the same host, the link names the same page (a clinic's, through its Host).
        assert client.get(expected, HTTP_HOST=host).json()["id"] == page.pk


def test_with_a_website_every_page_url_redirects_there(live_pages):
    site = Site.objects.get(is_default_site=True)
    FrontendPreviewSettings.objects.update_or_create(site=site, defaults={"website_url": "https://www.clinic.example/"})
    client = Client()
    for page in live_pages:
        host, path = on_its_site(page)
        if host != site.hostname:
            continue  # a clinic's page: its own site has no website set here
        response = client.get(path)
        assert response.status_code == 302, page.url
        assert response["Location"] == "https://www.clinic.example" + path


def test_drafts_and_unknown_paths_answer_like_nothing_is_there(live_pages):
    site = Site.objects.get(is_default_site=True)
    FrontendPreviewSettings.objects.update_or_create(site=site, defaults={"website_url": "https://www.clinic.example"})
    procedure = ProcedurePage.objects.get(locale__language_code="en")
    procedure.unpublish()
    client = Client()
    for url in (procedure.url, "/en/no-such-page/", "/de/xx/", "/en/a/b/c/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert "Link" not in response
    assert not FrontendPreviewSettings.objects.exclude(site=site).exists()
