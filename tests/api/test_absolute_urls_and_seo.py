"""Absolute URLs (images, pagination, canonical, hreflang) and the SEO fields of a page.

URLs of pages on the clinic website come from each Site's root URL (Settings › Sites);
what the API serves (media with a relative MEDIA_URL, pagination) from PUBLIC_BASE_URL.
"""

from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from wagtail.models import Page, Site

from tests.api.conftest import build_site, publish


@pytest.fixture
def site(db):
    return build_site(with_image=True)


def detail(api, page, locale):
    response = api.get(f"/api/v1/pages/{page.translation_key}/?locale={locale}")
    assert response.status_code == 200
    return response.json()


def is_absolute(url):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@override_settings(PUBLIC_BASE_URL="https://content.clinic.example/")
def test_renditions_and_pagination_are_absolute_under_the_public_base_url(site, api):
    renditions = detail(api, site.procedure, "en")["content"]["hero_image"]["renditions"]
    for rendition in renditions.values():
        assert rendition["url"].startswith("https://content.clinic.example/media/images/")
    listing = api.get("/api/v1/pages/?locale=en&limit=1&offset=1").json()
    for link in (listing["next"], listing["previous"]):
        assert link.startswith("https://content.clinic.example/api/v1/pages/?")
    assert api.get(urlsplit(listing["next"]).path + "?" + urlsplit(listing["next"]).query).status_code == 200


@override_settings(PUBLIC_BASE_URL="https://content.clinic.example", MEDIA_URL="https://media.clinic-cdn.example/m/")
def test_an_absolute_media_url_is_kept(site, api):
    renditions = detail(api, site.procedure, "en")["content"]["hero_image"]["renditions"]
    assert all(r["url"].startswith("https://media.clinic-cdn.example/m/images/") for r in renditions.values())


def test_without_a_public_base_url_the_default_sites_root_url_is_used(site, api, settings):
    settings.PUBLIC_BASE_URL = ""
    Site.objects.filter(is_default_site=True).update(hostname="api.clinic.example", port=8443)
    Site.clear_site_root_paths_cache()
    renditions = detail(api, site.procedure, "en")["content"]["hero_image"]["renditions"]
    assert all(r["url"].startswith("http://api.clinic.example:8443/media/") for r in renditions.values())


def test_canonical_and_hreflang_are_absolute_on_the_pages_site(site, api):
    Site.objects.filter(is_default_site=True).update(hostname="www.clinic.example", port=443)
    Site.clear_site_root_paths_cache()
    english, french = detail(api, site.procedure, "en"), detail(api, site.procedure, "fr")
    assert english["seo"]["canonical"] == "https://www.clinic.example" + english["path"]
    assert french["seo"]["canonical"] == "https://www.clinic.example" + french["path"]
    links = {link["hreflang"]: link["href"] for link in french["seo"]["hreflang"]}
    assert all(is_absolute(href) for href in links.values())
    assert links == {
        "en": english["seo"]["canonical"],
        "fr": french["seo"]["canonical"],
        "x-default": english["seo"]["canonical"],
    }
    assert {code: "https://www.clinic.example" + path for code, path in french["alternates"].items()} == {
        code: href for code, href in links.items() if code != "x-default"
    }


def test_a_fallback_page_is_canonical_at_the_page_served(site, api):
    german = detail(api, site.procedure, "de")  # no German copy: English is served
    assert german["fallback"] is True
    assert german["seo"]["canonical"] == detail(api, site.procedure, "en")["seo"]["canonical"]


def test_hreflang_has_no_x_default_without_a_default_locale_copy(site, api):
    from wagtail.models import Locale

    french_only = Page.objects.get(pk=site.checklist_fr.pk)
    english = Page.objects.get(pk=site.checklist.pk)
    english.unpublish()
    links = {link["hreflang"] for link in detail(api, french_only, "fr")["seo"]["hreflang"]}
    assert links == {"fr"}
    assert Locale.get_default().language_code == "en"


def test_seo_title_and_description_are_served_per_locale(site, api):
    english = Page.objects.get(pk=site.procedure.pk).specific
    english.seo_title = "Microneedling: what it is and what it costs"
    english.search_description = "How microneedling works, how long a session takes, who performs it."
    publish(english)
    french = Page.objects.get(pk=site.procedure_fr.pk).specific
    french.seo_title = "Microneedling : ce que c’est"
    publish(french)
    assert detail(api, site.procedure, "en")["seo"] | {"canonical": None, "hreflang": None} == {
        "seo_title": english.seo_title,
        "search_description": english.search_description,
        "canonical": None,
        "hreflang": None,
    }
    seo = detail(api, site.procedure, "fr")["seo"]
    assert (seo["seo_title"], seo["search_description"]) == ("Microneedling : ce que c’est", "")


def test_a_new_translation_changes_hreflang_of_cached_pages(site, api):
    """hreflang shows the page's translations: publishing one stales the cached English page."""
    from tests.api.conftest import translate

    before = {link["hreflang"] for link in detail(api, site.comparison, "en")["seo"]["hreflang"]}
    assert before == {"en", "x-default"}
    translate(site.comparison, "fr")
    after = {link["hreflang"] for link in detail(api, site.comparison, "en")["seo"]["hreflang"]}
    assert after == {"en", "fr", "x-default"}
