"""Safe by default: every kind of hidden page is absent from every public output.

The French copy of the procedure is hidden in one of several ways; it, and the
safety checklist below it, must then be absent from the listing, detail, find and
search, from the alternates of their English copies, from the French home's children
and from the rich-text link the French home makes to it.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.api.references import related_rows_from_database
from cms.api.representation import linked_page_ids
from cms.api.site_index import site_index

from .conftest import build_site, publish, retitle, shared_data

HIDDEN_KINDS = ["draft", "unpublished", "expired", "scheduled", "restricted", "restricted_parent"]
ENDPOINTS = ["listing", "detail", "find", "search", "alternates", "children", "rich_text_link", "site_index"]


def hide(kind, site):
    page = Page.objects.get(pk=site.procedure_fr.pk).specific
    if kind == "draft":  # never published: no live revision, no publishing dates
        Page.objects.filter(pk=page.pk).update(
            live=False, first_published_at=None, last_published_at=None, live_revision=None
        )
    elif kind == "unpublished":
        page.unpublish()
    elif kind == "expired":  # past expiry, before publish_scheduled has run
        Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    elif kind == "scheduled":
        page.unpublish()
        page = Page.objects.get(pk=page.pk).specific
        page.go_live_at = timezone.now() + datetime.timedelta(days=1)
        publish(page)
        assert not Page.objects.get(pk=page.pk).live
    elif kind == "restricted":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret")
    elif kind == "restricted_parent":
        PageViewRestriction.objects.create(page=site.home_fr, restriction_type="login")


@pytest.fixture(scope="module", params=HIDDEN_KINDS)
def hidden_site_data(request, django_db_setup, django_db_blocker):
    """Built once per kind of hidden page (the endpoint tests only read)."""
    with shared_data(django_db_blocker):
        yield build_hidden_site(request.param)


@pytest.fixture
def hidden_site(hidden_site_data, db):
    return hidden_site_data


def build_hidden_site(kind):
    site = build_site()
    site.procedure_fr = retitle(site.procedure_fr, "Microaiguillage", slug="microaiguillage")
    site.home_fr = Page.objects.get(pk=site.home_fr.pk).specific
    site.home_fr.intro = f'<p>Read about <a linktype="page" id="{site.procedure_fr.pk}">microaiguillage</a>.</p>'
    publish(site.home_fr)
    site.fr_path = "/fr/microaiguillage/"
    hide(kind, site)
    site.kind = kind
    return site


def hidden_ids(site):
    return {site.procedure_fr.pk, site.checklist_fr.pk}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hidden_pages_are_absent(hidden_site, endpoint, api):
    site = hidden_site
    procedure_key = site.procedure.translation_key
    if endpoint == "site_index":
        # The in-memory index answers exactly what the visibility query does.
        index = site_index()
        assert not hidden_ids(site) & set(index.by_id)
        for page in Page.objects.filter(depth__gt=1).specific():
            linked = linked_page_ids(page)
            from_index, from_database = index.related(page, linked), related_rows_from_database(page, linked)
            assert [row.id for row in from_index] == [row.id for row in from_database], page
            assert from_index == from_database
    elif endpoint == "listing":
        for locale in ("fr", "*"):
            ids = {page["id"] for page in api.get(f"/api/v1/pages/?locale={locale}&limit=100").json()["results"]}
            assert ids and not ids & hidden_ids(site)
    elif endpoint == "detail":
        for page in (site.procedure, site.checklist):
            response = api.get(f"/api/v1/pages/{page.translation_key}/?locale=fr&fallback=false")
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
            # With fallback the English copy is served, flagged as such.
            served = api.get(f"/api/v1/pages/{page.translation_key}/?locale=fr").json()
            assert (served["locale"], served["fallback"], served["id"]) == ("en", True, page.pk)
    elif endpoint == "find":
        assert api.get(f"/api/v1/pages/find/?path={site.fr_path}").status_code == 404
        assert api.get(f"/api/v1/pages/find/?path={site.fr_path}safety/").status_code == 404
    elif endpoint == "search":
        found = api.get("/api/v1/pages/?search=Microaiguillage&locale=*").json()
        assert found["count"] == 0 and found["results"] == []
    elif endpoint == "alternates":
        for page in (site.procedure, site.checklist):
            alternates = api.get(f"/api/v1/pages/{page.translation_key}/?locale=en").json()["alternates"]
            assert "fr" not in alternates and "en" in alternates
    elif endpoint == "children" and site.kind != "restricted_parent":
        home = api.get(f"/api/v1/pages/{site.home.translation_key}/?locale=fr").json()
        assert home["locale"] == "fr"
        assert procedure_key not in {child["key"] for child in home["children"]}
    elif endpoint == "rich_text_link" and site.kind != "restricted_parent":
        intro = api.get(f"/api/v1/pages/{site.home.translation_key}/?locale=fr").json()["content"]["intro"]
        assert "microaiguillage" in intro and "href" not in intro
    elif site.kind == "restricted_parent":
        # The French home itself is restricted: its English copy is served instead.
        home = api.get(f"/api/v1/pages/{site.home.translation_key}/?locale=fr").json()
        assert (home["locale"], home["fallback"]) == ("en", True)
