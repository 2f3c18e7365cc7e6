"""GET /api/v1/export/: the export bundle as a zip, for keys with the export scope."""

import io
import json
import re
import zipfile

import pytest

from cms.api.models import ApiKey
from cms.api.representation import render_page

from .conftest import add_page

pytestmark = pytest.mark.django_db

URL = "/api/v1/export/"


@pytest.fixture
def microneedling(treatments):
    return add_page(treatments, "Microneedling", "microneedling")


def download(client, headers, **params):
    response = client.get(URL, params, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="content-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_is_the_bundle_export_content_writes(client, export_key, microneedling):
    archive = download(client, export_key)

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["locales"] == ["en", "fr", "de", "es"]
    assert len(manifest["pages"]) == 3
    body = archive.read(f"fr/pages/{microneedling.translation_key}.json")
    assert body == render_page(microneedling, requested_locale="fr", use_cache=False)


def test_locales_can_be_chosen(client, export_key, microneedling):
    archive = download(client, export_key, locale="fr,de")
    assert sorted({name.split("/")[0] for name in archive.namelist()}) == ["de", "fr", "manifest.json"]


def test_an_unknown_locale_is_a_problem_listing_the_served_ones(client, export_key, microneedling):
    response = client.get(URL, {"locale": "fr,xx"}, **export_key)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["invalid_params"] == [
        {"name": "locale", "reason": "'xx' is not a locale this API serves.", "allowed": ["en", "fr", "de", "es"]}
    ]


def test_downloading_needs_the_export_scope(client, microneedling):
    _key, translation_only = ApiKey.objects.create_key(name="Agency", scopes=["translation"])

    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION=f"Api-Key {translation_only}").status_code == 403
    assert client.get(URL, HTTP_AUTHORIZATION="Api-Key nonsense").status_code == 401


@pytest.mark.parametrize("value", ["fr,,de", " fr", "fr,"])
def test_a_blank_or_padded_locale_is_refused_as_the_schema_says(client, export_key, microneedling, value):
    response = client.get(URL, {"locale": value}, **export_key)
    assert response.status_code == 400
    assert json.loads(response.content)["invalid_params"][0]["name"] == "locale"
    items = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"][URL]["get"]["parameters"][0]
    assert not re.fullmatch(items["schema"]["items"]["pattern"], value)
    assert re.fullmatch(items["schema"]["items"]["pattern"], "fr,de")


def test_an_undeclared_method_is_405_whatever_the_parameters(client, export_key, microneedling):
    response = client.generic("TRACE", URL + "?locale=", **export_key)
    assert response.status_code == 405
