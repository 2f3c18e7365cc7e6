"""GET /api/v1/translation-status/: for API keys with the translation scope only."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from cms.api.errors import BadParameter
from cms.api.models import ApiKey
from cms.translation.api import apply_require
from tests.translation.builders_status import (
    stale_french_site,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/translation-status/"


@pytest.fixture
def site():
    return stale_french_site()


def key_with(*scopes):
    _api_key, raw = ApiKey.objects.create_key(name="Vendor dashboard", scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


def test_route_is_part_of_the_delivery_api():
    assert reverse("api:translation-status") == URL


def test_translation_key_reads_status_per_page_and_locale(site, client):
    response = client.get(URL, {"locale": "fr"}, **key_with("translation"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert body["source_locale"] == "en"
    assert body["count"] == 2
    rows = {row["page"]["title"]: row for row in body["results"]}
    assert rows["Microneedling"]["state"] == "stale"
    assert rows["Microneedling"]["segments"]["stale"] == 1
    assert rows["Microneedling"]["page"]["key"] == str(site["page"].translation_key)
    assert rows["Clinic"]["state"] == "incomplete"


def test_without_locale_every_target_locale_is_listed(site, client):
    body = client.get(URL, **key_with("translation")).json()
    assert sorted({row["locale"] for row in body["results"]}) == ["de", "es", "fr"]
    assert body["count"] == 6


def test_state_filter(site, client):
    body = client.get(URL, {"state": "missing"}, **key_with("translation")).json()
    assert {(row["page"]["title"], row["locale"]) for row in body["results"]} == {
        ("Clinic", "de"),
        ("Clinic", "es"),
        ("Microneedling", "de"),
        ("Microneedling", "es"),
    }


def test_anonymous_clients_are_asked_for_a_key(site, client):
    response = client.get(URL)
    assert response.status_code == 401
    assert "translation" in response.json()["detail"]


def test_key_without_the_translation_scope_is_refused(site, client):
    response = client.get(URL, **key_with("preview"))
    assert response.status_code == 403


def test_revoked_key_is_refused(site, client):
    api_key, raw = ApiKey.objects.create_key(name="Old vendor", scopes=["translation"])
    api_key.is_active = False
    api_key.save()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Api-Key {raw}").status_code == 401


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"locale": "xx"}, "locale", "use one of de, es, fr"),
        ({"locale": "en"}, "locale", "the source locale is not translated into"),
        ({"state": "nearly"}, "state", "use one of complete, incomplete, stale"),
        ({"page": "1"}, "page", "unknown parameter"),
    ],
)
def test_bad_parameters_are_400s_naming_them(site, client, params, name, message):
    response = client.get(URL, params, **key_with("translation"))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert f"'{name}'" in detail
    assert message in detail


def test_require_complete_filter_for_the_delivery_api(site):
    pages = Page.objects.filter(depth__gt=1)
    assert apply_require(pages, None) is pages
    kept = set(apply_require(pages, "complete").values_list("locale__language_code", "title"))
    assert kept == {("en", "Clinic"), ("en", "Microneedling")}  # French: home untranslated, procedure stale
    with pytest.raises(BadParameter) as refused:
        apply_require(pages, "everything")
    assert refused.value.invalid_params == [
        {"name": "require", "reason": "use one of complete.", "allowed": ["complete"]}
    ]
