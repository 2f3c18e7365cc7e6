"""Clinics on one hub: library pages merged with each clinic's fields, kept to their clinic.

Uses the demo: the group's site serves the library (en, fr, de, es); Madrid (es, en)
and London (en) show its microneedling pages with their own practitioners, prices,
devices and notices.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Page, Site

from cms.api.models import ApiKey, Scope
from pages.demo.loader import demo_key
from pages.models import Clinic, ClinicPage


@pytest.fixture
def client(demo_site, db):
    return Client()


def key(name):
    return str(demo_key(name))


def read(client, url, **headers):
    response = client.get(url, **headers)
    return response.status_code, response.json()


def test_a_clinic_page_serves_the_library_content_with_its_own_fields(client):
    status, library = read(client, f"/api/v1/pages/{key('microneedling')}/?locale=es")
    assert status == 200 and library["clinic"] is None
    status, madrid = read(client, f"/api/v1/pages/{key('clinic-madrid-microneedling')}/?site=madrid&locale=es")
    assert status == 200
    # The library's type, content, labels and medical review; the clinic's own identity.
    assert madrid["type"] == library["type"] == "pages.ProcedurePage"
    assert madrid["content"] == library["content"]
    assert madrid["labels"] == library["labels"]
    assert madrid["meta"]["medical_review"] == library["meta"]["medical_review"]
    assert madrid["meta"]["medical_review"]["status"] == "approved"
    assert madrid["key"] != library["key"] and madrid["path"] == "/es/microneedling/"
    assert madrid["clinic"]["site"] == "madrid"
    # Absolute URLs on the clinic's own website (its front-end URL), not the group's.
    assert madrid["seo"]["canonical"] == "https://madrid.lumen.example/es/microneedling/"
    assert {link["href"] for link in madrid["seo"]["hreflang"]} == {
        "https://madrid.lumen.example/es/microneedling/",
        "https://madrid.lumen.example/en/microneedling/",
    }
    assert library["seo"]["canonical"].startswith("http://localhost/")
    assert madrid["clinic"]["library"]["key"] == library["key"]
    assert madrid["clinic"]["library"]["locale"] == "es"
    fields = madrid["clinic"]["fields"]
    assert fields["price"] == {"value": {"min": 180, "max": 260, "currency": "EUR"}, "source": "clinic"}
    assert fields["booking_url"]["source"] == "clinic"
    assert [item["value"]["name"] for item in fields["practitioners"]["value"]] == ["Dr Lucía Ortega", "Marta Gil"]
    # Translated in the clinic's Spanish copy; names and numbers are the same.
    assert fields["practitioners"]["value"][0]["value"]["qualification"] == "Dermatóloga"
    assert fields["local_notes"] == {"value": "", "source": "library"}


def test_each_clinic_shows_its_own_details_on_the_same_library_page(client):
    _status, madrid = read(client, f"/api/v1/pages/{key('clinic-madrid-microneedling')}/?site=madrid&locale=en")
    _status, london = read(client, f"/api/v1/pages/{key('clinic-london-microneedling')}/?site=london")
    assert madrid["clinic"]["library"]["key"] == london["clinic"]["library"]["key"] == key("microneedling")
    assert madrid["content"] == london["content"]
    assert madrid["clinic"]["fields"]["price"]["value"]["currency"] == "EUR"
    assert london["clinic"]["fields"]["price"]["value"]["currency"] == "GBP"
    assert len(madrid["clinic"]["fields"]["devices"]["value"]) == 1
    assert len(london["clinic"]["fields"]["devices"]["value"]) == 2
    assert london["clinic"]["fields"]["regulatory_notice"] == {"value": "", "source": "library"}


def test_the_clinic_is_named_by_host_or_site_parameter(client):
    by_param = client.get("/api/v1/pages/?site=madrid&locale=en")
    by_host = client.get("/api/v1/pages/?locale=en", HTTP_HOST="madrid.localhost")
    assert by_param.status_code == by_host.status_code == 200
    assert by_param.json()["results"] == by_host.json()["results"]
    paths = {row["path"] for row in by_param.json()["results"]}
    assert paths == {"/en/", "/en/microneedling/", "/en/microneedling/safety/"}


def test_one_clinic_never_shows_another_clinics_or_the_librarys_pages(client):
    sites = {"lumen": None, "madrid": None, "london": None}
    for site in sites:
        rows = client.get(f"/api/v1/pages/?site={site}&locale=*&limit=100").json()["results"]
        sites[site] = {row["key"] for row in rows}
    assert sites["madrid"] and sites["london"] and sites["lumen"]
    assert not sites["madrid"] & sites["london"] and not sites["madrid"] & sites["lumen"]
    assert not sites["london"] & sites["lumen"]
    for site in sites:
        for other, other_keys in sites.items():
            if other == site:
                continue
            for other_key in other_keys:
                assert client.get(f"/api/v1/pages/{other_key}/?site={site}").status_code == 404
    # Search, and the default site's anonymous reads, keep to one clinic too.
    found = client.get("/api/v1/pages/?site=london&search=microneedling").json()["results"]
    assert {row["key"] for row in found} <= sites["london"]
    assert client.get("/api/v1/pages/find/?path=/en/microneedling/").status_code == 404  # Madrid's and London's path


def test_a_clinic_serves_only_its_own_locales(client):
    status, body = read(client, "/api/v1/pages/?site=london&locale=fr")
    assert status == 400
    assert body["invalid_params"][0]["allowed"] == ["en", "*"]
    _status, locales = read(client, "/api/v1/locales/?site=madrid")
    assert locales["default"] == "es"
    assert [locale["code"] for locale in locales["results"]] == ["en", "es"]


def test_an_unknown_site_is_a_404_naming_the_code(client):
    for url in ("/api/v1/pages/?site=barcelona", "/api/v1/locales/?site=barcelona", "/api/v1/pages/?site=%3B+"):
        status, body = read(client, url)
        assert status == 404 and "has the code" in body["detail"], url
    assert "barcelona" in read(client, "/api/v1/pages/?site=barcelona")[1]["detail"]


@pytest.mark.parametrize("scopes", [[Scope.DELIVERY], [Scope.PREVIEW]])
def test_a_key_bound_to_a_clinic_reads_only_that_clinic_and_gets_404_elsewhere(client, scopes, django_db_blocker):
    madrid = Site.objects.get(hostname="madrid.localhost")
    api_key, raw = ApiKey.objects.create_key(name="Madrid app", scopes=scopes)
    api_key.site = madrid
    api_key.save()
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    madrid_page = key("clinic-madrid-microneedling")
    london_page = key("clinic-london-microneedling")
    # Without a site, the key's own clinic.
    status, body = read(client, "/api/v1/pages/?locale=en", **auth)
    assert status == 200 and "/en/microneedling/" in {row["path"] for row in body["results"]}
    assert {row["key"] for row in body["results"]} >= {madrid_page}
    for _ in range(2):  # the second read may come from the response cache
        assert client.get(f"/api/v1/pages/{madrid_page}/?locale=en", **auth).status_code == 200
        assert client.get(f"/api/v1/pages/{madrid_page}/?site=madrid", **auth).status_code == 200
        # Another clinic's, asked for by name or by host: 404, the same as a page that is not there.
        other = client.get(f"/api/v1/pages/{london_page}/?site=london", **auth)
        assert other.status_code == 404
        assert client.get("/api/v1/pages/?site=london", **auth).status_code == 404
        assert client.get("/api/v1/locales/", HTTP_HOST="london.localhost", **auth).status_code == 404
        # The same clinic's page asked through the other's host: still 404, nothing learnt.
        assert client.get(f"/api/v1/pages/{madrid_page}/", HTTP_HOST="london.localhost", **auth).status_code == 404
    api_key.delete()


def test_an_override_the_library_type_does_not_allow_is_refused_naming_the_field(client):
    safety = ClinicPage.objects.get(translation_key=demo_key("clinic-madrid-safety"), locale__language_code="en")
    before = safety.get_latest_revision().content
    safety.price_min, safety.price_max, safety.price_currency = 100, 120, "EUR"
    with pytest.raises(ValidationError) as refused:
        safety.full_clean()
    assert "price_min" in refused.value.message_dict
    message = refused.value.message_dict["price_min"][0]
    assert "“price”" in message and "safety checklist" in message
    assert ClinicPage.objects.get(pk=safety.pk).get_latest_revision().content == before


def test_a_clinic_must_reference_a_library_page(client):
    madrid_home = Site.objects.get(hostname="madrid.localhost").root_page
    page = ClinicPage(title="Loop", slug="loop", library_page=madrid_home)
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert "library_page" in refused.value.message_dict


def test_a_clinic_whose_locales_are_not_the_hubs_is_refused_at_save_time(client):
    madrid = Clinic.objects.get(slug="madrid")
    madrid.locales = ["es", "it"]
    with pytest.raises(ValidationError) as refused:
        madrid.save()
    assert "it" in refused.value.message_dict["locales"][0]
    assert Clinic.objects.get(slug="madrid").locales == ["es", "en"]
    madrid.locales = []
    with pytest.raises(ValidationError):
        madrid.full_clean()


def test_the_demo_clinics_load_again_without_change(client):
    from django.core.management import call_command

    counts = (Page.objects.count(), Clinic.objects.count(), Site.objects.count(), ClinicPage.objects.count())
    call_command("load_demo_content", "--no-accounts", verbosity=0)
    assert (Page.objects.count(), Clinic.objects.count(), Site.objects.count(), ClinicPage.objects.count()) == counts
    assert counts[1:] == (3, 3, 5)  # the group and two clinics; Madrid 2 pages x 2 locales + London 1
