"""Parameters are exact: a query parameter given twice, or given empty, is a 400 naming it,
on the read endpoints and the keyed ones alike, and nothing is served or cached for it."""

import re

import pytest

from cms.api.models import ApiKey

from .conftest import build_site


@pytest.fixture
def site(db):
    return build_site(with_french=False)


@pytest.fixture
def key_headers(db):
    _key, raw_key = ApiKey.objects.create_key(name="All", scopes=["export", "translation", "preview"])
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw_key}"}


def endpoints(site):
    key = site.procedure.translation_key
    return {
        "listing": "/api/v1/pages/?locale=en",
        "detail": f"/api/v1/pages/{key}/?locale=en",
        "find": "/api/v1/pages/find/?path=/en/microneedling/",
        "locales": "/api/v1/locales/?",
        "sync": "/api/v1/sync/?locale=en",
        "translation-status": "/api/v1/translation-status/?state=missing",
    }


CASES = {
    "listing": [
        ("limit", "&limit=5&limit=7", "given 2 times"),
        ("limit", "&limit=", "is empty"),
        ("offset", "&offset=", "is empty"),
        ("locale", "&locale=fr", "given 2 times"),
        ("search", "&search=%20", "is empty"),
    ],
    "detail": [
        ("locale", "&locale=de", "given 2 times"),
        ("fallback", "&fallback=", "is empty"),
        ("version", "&version=live&version=live", "given 2 times"),
    ],
    "find": [("path", "&path=/en/", "given 2 times"), ("locale", "&locale=", "is empty")],
    "sync": [
        ("limit", "&limit=", "is empty"),
        ("cursor", "&cursor=", "is empty"),
        ("locale", "&locale=en", "given 2 times"),
    ],
    "translation-status": [("locale", "&locale=", "is empty"), ("state", "&state=missing", "given 2 times")],
}


@pytest.mark.parametrize(
    ("endpoint", "name", "suffix", "reason"),
    [(endpoint, *case) for endpoint, cases in CASES.items() for case in cases],
)
def test_repeated_and_empty_parameters_are_refused_naming_them(site, api, key_headers, endpoint, name, suffix, reason):
    url = endpoints(site)[endpoint]
    assert api.get(url, **key_headers).status_code == 200  # the same request without the loose parameter
    refused = api.get(url + suffix, **key_headers)
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    [problem] = refused.json()["invalid_params"]
    assert problem["name"] == name
    assert reason in problem["reason"]
    assert "X-Cache" not in refused


def test_a_refused_anonymous_read_is_never_cached(site, api):
    url = endpoints(site)["listing"] + "&limit=5&limit=7"
    assert [api.get(url).status_code for _ in range(2)] == [400, 400]


def test_export_still_takes_several_locales_but_no_empty_one(site, api, key_headers):
    assert api.get("/api/v1/export/?locale=en&locale=fr", **key_headers).status_code == 200
    refused = api.get("/api/v1/export/?locale=", **key_headers)
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == "locale"


def test_the_schema_states_the_real_limits(db, api):
    schema = api.get("/api/v1/schema/?format=json").json()
    sync_limit = next(p for p in schema["paths"]["/api/v1/sync/"]["get"]["parameters"] if p["name"] == "limit")
    assert (sync_limit["schema"]["minimum"], sync_limit["schema"]["maximum"]) == (1, 200)
    status_locale = next(
        p for p in schema["paths"]["/api/v1/translation-status/"]["get"]["parameters"] if p["name"] == "locale"
    )
    assert status_locale["schema"]["enum"] == ["de", "es", "fr"]


@pytest.mark.parametrize("blank", ["\x1c", "\ufeff", "\x85", "\u3000\t"])
def test_blank_is_what_the_schema_says_it_is(client, site, blank):
    """Whitespace as either Python or JSON Schema's patterns define it is blank: the schema
    refuses it (so a schema-valid value is never refused as empty) and so does the server."""
    document = client.get("/api/v1/schema/", {"format": "json"}).json()
    search = next(p for p in document["paths"]["/api/v1/pages/"]["get"]["parameters"] if p["name"] == "search")
    assert not re.search(search["schema"]["pattern"], blank)
    assert re.search(search["schema"]["pattern"], blank + "a")

    response = client.get("/api/v1/pages/", {"locale": "en", "search": blank})
    assert response.status_code == 400
    assert response.json()["invalid_params"] == [
        {"name": "search", "reason": "is empty; give a value or leave the parameter out."}
    ]
