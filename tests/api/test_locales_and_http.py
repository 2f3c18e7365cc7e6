"""Locale resolution, fallback, caching headers, conditional requests and errors."""

import pytest
from django.test import override_settings

from cms.api import locales

from .conftest import shared_data


@pytest.fixture(scope="module")
def site_data(django_db_setup, django_db_blocker):
    from .conftest import build_site

    with shared_data(django_db_blocker):
        yield build_site()


@pytest.fixture
def site(site_data, db):
    return site_data


def detail(api, page, query="", **headers):
    return api.get(f"/api/v1/pages/{page.translation_key}/{query}", **headers)


# --- Locales --------------------------------------------------------------------------


@override_settings(CMS_LOCALE_FALLBACKS={"es": ["fr", "xx"], "de": ["es"]})
def test_fallback_chains_follow_the_setting_and_end_at_the_default():
    assert locales.fallback_chain("es") == ["es", "fr", "en"]  # xx is not served: skipped
    assert locales.fallback_chain("de") == ["de", "es", "en"]
    assert locales.fallback_chain("en") == ["en"]
    assert locales.locales_falling_back_to("fr") == ["es"]


def test_locales_endpoint_lists_codes_names_default_and_chains(api, db):
    body = api.get("/api/v1/locales/").json()
    assert body["default"] == "en"
    assert [(item["code"], item["default"]) for item in body["results"]][:2] == [("en", True), ("fr", False)]
    assert {item["code"]: item["fallbacks"] for item in body["results"]}["fr"] == ["en"]


@pytest.mark.parametrize(
    ("query", "accept", "served", "content_language"),
    [
        ("?locale=fr", "de", "fr", "fr"),  # ?locale wins over the header
        ("", "fr-CA,fr;q=0.9,en;q=0.5", "fr", "fr"),  # header, language part
        ("", "pt-BR, it", "en", "en"),  # nothing served: the default
        ("", "", "en", "en"),
    ],
)
def test_locale_resolution_order(site, api, query, accept, served, content_language):
    response = detail(api, site.procedure, query, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert response.json()["locale"] == served
    assert response["Content-Language"] == content_language
    assert "Accept-Language" in response["Vary"]


def test_missing_translation_falls_back_and_says_so(site, api):
    body = detail(api, site.comparison, "?locale=fr").json()  # the comparison has no French copy
    assert (body["locale"], body["requested_locale"], body["fallback"]) == ("en", "fr", True)
    refused = detail(api, site.comparison, "?locale=fr&fallback=false")
    assert refused.status_code == 404
    assert refused.json()["status"] == 404


@override_settings(CMS_LOCALE_FALLBACKS={"de": ["fr"]})
def test_fallback_walks_the_configured_chain(site, api):
    body = detail(api, site.procedure, "?locale=de").json()
    assert (body["locale"], body["requested_locale"], body["fallback"]) == ("fr", "de", True)


def test_every_locale_in_one_response(site, api):
    body = detail(api, site.procedure, "?locale=*").json()
    assert set(body["versions"]) == {"en", "fr", "de", "es"}
    assert body["versions"]["fr"]["locale"] == "fr"
    assert (body["versions"]["de"]["locale"], body["versions"]["de"]["fallback"]) == ("en", True)
    listing = api.get("/api/v1/pages/?locale=*&limit=100").json()
    assert {(page["key"], page["locale"]) for page in listing["results"]} >= {
        (str(site.procedure.translation_key), "en"),
        (str(site.procedure.translation_key), "fr"),
    }


def test_listing_falls_back_per_page(site, api):
    results = api.get("/api/v1/pages/?locale=fr&limit=100").json()["results"]
    by_key = {page["key"]: page for page in results}
    assert len(by_key) == len(results) == 4  # one per page, never two copies
    assert by_key[str(site.procedure.translation_key)]["locale"] == "fr"
    assert (
        by_key[str(site.comparison.translation_key)]["locale"],
        by_key[str(site.comparison.translation_key)]["fallback"],
    ) == ("en", True)


def test_find_by_path_in_any_locale(site, api):
    body = api.get("/api/v1/pages/find/?path=/fr/microneedling/").json()
    assert (body["id"], body["locale"]) == (site.procedure_fr.pk, "fr")
    other = api.get("/api/v1/pages/find/?path=/fr/microneedling/&locale=en").json()
    assert other["id"] == site.procedure.pk


# --- HTTP -----------------------------------------------------------------------------


def test_etag_and_last_modified_answer_conditional_requests(site, api):
    first = detail(api, site.procedure)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
    assert detail(api, site.procedure, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert detail(api, site.procedure, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert detail(api, site.procedure, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    listing = api.get("/api/v1/pages/")
    assert api.get("/api/v1/pages/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    locales_response = api.get("/api/v1/locales/")
    assert api.get("/api/v1/locales/", HTTP_IF_NONE_MATCH=locales_response["ETag"]).status_code == 304


def test_a_publish_changes_the_validators(site, api):
    first = detail(api, site.procedure)
    site.procedure.title = "Microneedling (updated)"
    site.procedure.save_revision().publish()
    again = detail(api, site.procedure, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["title"] == "Microneedling (updated)"


@override_settings(API_CACHE_CONTROL="public, max-age=5")
def test_cache_control_comes_from_settings(site, api):
    assert detail(api, site.procedure)["Cache-Control"] == "public, max-age=5"


@override_settings(CORS_ALLOWED_ORIGINS=["https://clinic.example"])
def test_cors_allows_configured_origins_only(site, api):
    allowed = detail(api, site.procedure, HTTP_ORIGIN="https://clinic.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://clinic.example"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in detail(api, site.procedure, HTTP_ORIGIN="https://evil.example")


# --- Errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        ("/api/v1/pages/?locale=xx", "locale", ["en", "fr", "de", "es", "*"]),
        ("/api/v1/pages/?type=pages.Nope", "type", None),
        ("/api/v1/pages/?limit=101", "limit", None),
        ("/api/v1/pages/?limit=abc", "limit", None),
        ("/api/v1/pages/?offset=-1", "offset", None),
        ("/api/v1/pages/?order=shoe_size", "order", None),
        ("/api/v1/pages/?child_of=not-a-key", "child_of", None),
        ("/api/v1/pages/?search=", "search", None),
        ("/api/v1/pages/?colour=red", "colour", None),
        ("/api/v1/pages/not-a-key/", "key", None),
        ("/api/v1/pages/find/?path=fr/microneedling/", "path", None),
        ("/api/v1/pages/find/", "path", None),
        ("/api/v1/locales/?locale=fr", "locale", None),
    ],
)
def test_bad_parameters_are_400_problems_naming_the_parameter(site, api, url, parameter, allowed):
    response = api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == 400
    assert body["invalid_params"][0]["name"] == parameter
    if allowed:
        assert body["invalid_params"][0]["allowed"] == allowed
    if parameter == "type":
        assert "pages.ProcedurePage" in body["invalid_params"][0]["allowed"]
    if parameter == "order":
        assert "title" in body["invalid_params"][0]["allowed"]


def test_unknown_urls_under_api_are_problem_404s(db, api):
    for url in ("/api/v1/nope/", "/api/v2/pages/", "/api/v1/pages/3fa85f64-5717-4562-b3fc-2c963f66afa6/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_methods_other_than_get_are_problem_405s(site, api):
    response = api.post("/api/v1/pages/", {})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_meta_carries_review_and_translation_status(site, api):
    from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

    en = detail(api, site.procedure, "?locale=en").json()["meta"]
    assert en["translation"] == {"source_locale": "en", "is_source": True, "progress": 100, "stale": 0, "machine": 0}
    # Built outside the medical review workflow: the fields as loaded, no approval.
    assert en["medical_review"] == {
        "reviewed_by": "Dr Ana Ruiz, dermatologist",
        "last_reviewed_on": "2026-11-02",
        "status": "not_reviewed",
        "reviewer": None,
        "qualification": None,
        "registration": None,
        "market": None,
        "approved_at": None,
        "content_hash": None,
        "source_hash": None,
    }
    assert en["revision"] == 1  # published once
    # The French copy was made with the English text standing in: nothing translated yet.
    assert detail(api, site.procedure, "?locale=fr").json()["meta"]["translation"]["progress"] == 0
    source = TranslationSource.objects.get(object_id=site.procedure.translation_key)
    segments = list(StringSegment.objects.filter(source=source))
    for segment in segments[: len(segments) // 2]:
        StringTranslation.objects.create(
            translation_of_id=segment.string_id,
            context_id=segment.context_id,
            locale=site.procedure_fr.locale,
            data="x",
        )
    progress = detail(api, site.procedure, "?locale=fr").json()["meta"]["translation"]["progress"]
    assert progress == round(100 * (len(segments) // 2) / len(segments))


@pytest.mark.parametrize("text", ['"', 'a"b', '""', "'", "(", "NEAR(", "*", "-", "a AND OR"])
def test_search_with_query_syntax_is_a_plain_search(site, api, text):
    """Quotes and operators are words, not syntax: never a 500 (SQLite's FTS5 refused them)."""
    response = api.get("/api/v1/pages/", {"search": text})
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= 0
