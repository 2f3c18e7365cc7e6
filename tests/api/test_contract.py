"""Every real response of the demo, checked against the published document by openapi-core.

openapi-core is strict: a ``null`` where the document does not allow one, a missing
required property, a value outside an enum, an undocumented status or content type all
fail. The walk covers every endpoint in every locale, ``locale=*``, the keyed endpoints
(sync, export, translation status, preview, drafts) and the errors (400, 401, 403, 404,
410, 429). Every mismatch is collected, so one run names all of them.
"""

import json
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.cache import cache
from django.test import Client, override_settings
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from cms.api.locales import served_locales
from cms.api.models import ApiKey, Scope


@pytest.fixture(scope="module")
def document(demo_site):
    return yaml.safe_load(Client().get("/api/v1/schema/").content)


@pytest.fixture
def check(document, db):
    """``check(response)`` validates one response; ``check.failures`` collects mismatches."""
    openapi = OpenAPI.from_dict(
        document,
        config=Config(extra_media_type_deserializers={"application/problem+json": json.loads}),
    )
    failures = []
    seen = []

    def validate(response):
        request = response.wsgi_request
        seen.append((request.path, response.status_code))
        if response.get("API-Version") != document["info"]["version"]:
            failures.append(f"{request.get_full_path()}: API-Version is {response.get('API-Version')!r}")
        try:
            openapi.validate_response(DjangoOpenAPIRequest(request), DjangoOpenAPIResponse(response))
        except Exception as exc:  # openapi-core raises a family of errors; each is a mismatch
            causes = [str(exc)]
            cause = exc.__cause__
            while cause is not None:
                causes.append(str(cause))
                for error in getattr(cause, "schema_errors", ()):
                    causes.append(f"  at {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
                cause = cause.__cause__
            failures.append(f"{request.get_full_path()} -> {response.status_code}: " + "\n".join(causes))
        return response

    validate.failures = failures
    validate.seen = seen
    return validate


def assert_no_failures(check):
    assert not check.failures, f"{len(check.failures)} responses break the document:\n" + "\n\n".join(check.failures)


def relative(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def read_listing(client, check, url):
    """Every summary of a listing, following ``next`` to the end."""
    results = []
    while url:
        response = check(client.get(relative(url)))
        assert response.status_code == 200, url
        data = response.json()
        results += data["results"]
        url = data["next"]
    return results


def test_every_public_response_matches_the_document(check):
    client = Client()
    locales = served_locales()
    assert check(client.get("/api/v1/locales/")).status_code == 200

    every = read_listing(client, check, "/api/v1/pages/?locale=*&limit=3")
    keys = sorted({row["key"] for row in every})
    assert len(keys) >= 4 and {row["locale"] for row in every} == set(locales)
    for code in locales:
        read_listing(client, check, f"/api/v1/pages/?locale={code}&limit=2")
        for page_type in sorted({row["type"] for row in every}):
            read_listing(client, check, f"/api/v1/pages/?locale={code}&type={page_type}")
        check(client.get(f"/api/v1/pages/?locale={code}&search=microneedling&order=relevance"))
        check(client.get(f"/api/v1/pages/?locale={code}&require=complete&child_of={keys[0]}"))
    check(client.get("/api/v1/pages/", HTTP_ACCEPT_LANGUAGE="de"))

    for key in keys:
        for code in locales:
            assert check(client.get(f"/api/v1/pages/{key}/?locale={code}")).status_code == 200
            check(client.get(f"/api/v1/pages/{key}/?locale={code}&fallback=false"))
        assert check(client.get(f"/api/v1/pages/{key}/?locale=*")).status_code == 200
        assert check(client.get(f"/api/v1/pages/{key}/versions/")).status_code == 200
        assert check(client.get(f"/api/v1/pages/{key}/", HTTP_ACCEPT_LANGUAGE="es")).status_code == 200
    for row in every:
        assert check(client.get("/api/v1/pages/find/", {"path": row["path"]})).status_code == 200
        assert check(client.get("/api/v1/pages/find/", {"path": row["path"], "locale": "*"})).status_code == 200
        assert check(client.get("/api/v1/pages/find/", {"path": row["path"], "locale": "fr"})).status_code == 200
    # Repeats are answered by the response cache: the same bytes, checked again.
    assert check(client.get(f"/api/v1/pages/{keys[0]}/?locale=fr"))["X-Cache"] == "hit"
    assert_no_failures(check)
    assert len(check.seen) > 100


def test_every_clinic_response_matches_the_document(check):
    """The demo clinics (library pages merged with each clinic's fields), by ?site= and by Host."""
    client = Client()
    for site, host in (("madrid", "madrid.localhost"), ("london", "london.localhost")):
        assert check(client.get(f"/api/v1/locales/?site={site}")).status_code == 200
        every = read_listing(client, check, f"/api/v1/pages/?site={site}&locale=*&limit=2")
        codes = check(client.get("/api/v1/locales/", HTTP_HOST=host)).json()["results"]
        assert {row["locale"] for row in every} == {locale["code"] for locale in codes}
        for row in every:
            for code in [locale["code"] for locale in codes]:
                response = check(client.get(f"/api/v1/pages/{row['key']}/?site={site}&locale={code}"))
                assert response.status_code == 200
            assert check(client.get(f"/api/v1/pages/{row['key']}/?locale=*", HTTP_HOST=host)).status_code == 200
            assert check(client.get(f"/api/v1/pages/{row['key']}/versions/?site={site}")).status_code == 200
            found = check(client.get("/api/v1/pages/find/", {"path": row["path"], "site": site}))
            assert found.status_code == 200 and found.json()["key"] == row["key"]
        assert any(check(client.get(f"/api/v1/pages/{row['key']}/?site={site}")).json()["clinic"] for row in every)
    assert check(client.get("/api/v1/pages/?site=nowhere")).status_code == 404
    assert_no_failures(check)


def test_every_clinic_feed_and_bundle_matches_the_document(check):
    """Sync and export of each demo clinic, by ?site=, by Host and by a key bound to it; a
    library publish reaching a clinic's feed; another clinic's or an unknown one's 404s."""
    from pages.models import Clinic
    from tests.utils import demo_page

    client = Client()
    _key, raw = ApiKey.objects.create_key(name="Hub app", scopes=[Scope.EXPORT])
    hub = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    madrid_key, raw = ApiKey.objects.create_key(name="Madrid app", scopes=[Scope.EXPORT])
    madrid_key.site = Clinic.objects.get(slug="madrid").site
    madrid_key.save()
    madrid = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    cursors = {}
    for site, host in (("madrid", "madrid.localhost"), ("london", "london.localhost")):
        codes = [locale["code"] for locale in client.get(f"/api/v1/locales/?site={site}").json()["results"]]
        for code in codes:
            url = f"/api/v1/sync/?site={site}&locale={code}&limit=2"
            while url:
                response = check(client.get(url, **hub))
                assert response.status_code == 200 and response.json()["site"] == site
                url = relative(response.json()["next"]) if response.json()["has_more"] else None
            cursors[site, code] = response.json()["cursor"]
            assert check(client.get(f"/api/v1/sync/?locale={code}", HTTP_HOST=host, **hub)).status_code == 200
        assert check(client.get(f"/api/v1/export/?site={site}", **hub)).status_code == 200
        assert check(client.get(f"/api/v1/sync/?site={site}&locale=fr", **hub)).status_code == 400
    assert check(client.get("/api/v1/sync/?locale=es", **madrid)).json()["site"] == "madrid"
    assert check(client.get("/api/v1/export/?locale=en", **madrid)).status_code == 200
    for url in ("/api/v1/sync/?site=london&locale=en", "/api/v1/export/?site=london", "/api/v1/sync/?site=x&locale=en"):
        assert check(client.get(url, **madrid)).status_code == 404

    demo_page("microneedling", "en").unpublish()  # Madrid's and London's English pages lose it
    for (site, code), cursor in cursors.items():
        answer = check(client.get(f"/api/v1/sync/?site={site}&locale={code}&cursor={cursor}", **hub))
        assert answer.status_code == 200
        assert bool(answer.json()["tombstones"]) == (code == "en")
    cache.clear()  # the unpublish rolls back with the test; what was cached after it must go too
    assert_no_failures(check)


def test_errors_match_the_document(check, settings):
    client = Client()
    key = Client().get("/api/v1/pages/?limit=1").json()["results"][0]["key"]
    assert check(client.get("/api/v1/pages/?locale=xx")).status_code == 400
    assert check(client.get("/api/v1/pages/?limit=0")).status_code == 400
    assert check(client.get("/api/v1/pages/?colour=red")).status_code == 400
    assert check(client.get("/api/v1/locales/?x=1")).status_code == 400
    assert check(client.get(f"/api/v1/pages/{key}/?fallback=maybe")).status_code == 400
    assert check(client.get(f"/api/v1/pages/{key}/versions/?locale=fr")).status_code == 400
    assert check(client.get("/api/v1/pages/find/")).status_code == 400
    assert check(client.get("/api/v1/pages/find/?path=nowhere")).status_code == 400
    assert check(client.get("/api/v1/pages/not-a-key/")).status_code == 400
    assert check(client.get("/api/v1/pages/00000000-0000-0000-0000-000000000000/")).status_code == 404
    assert check(client.get("/api/v1/pages/00000000-0000-0000-0000-000000000000/versions/")).status_code == 404
    assert check(client.get("/api/v1/pages/find/?path=/en/nothing-here/")).status_code == 404
    assert check(client.get("/api/v1/pages/find/?path=/xx/")).status_code == 404
    assert check(client.get(f"/api/v1/pages/{key}/?version=draft")).status_code == 401
    _key, export_only = ApiKey.objects.create_key(name="Exports", scopes=[Scope.EXPORT])
    keyed = {"HTTP_AUTHORIZATION": f"Api-Key {export_only}"}
    assert check(client.get(f"/api/v1/pages/{key}/?version=draft", **keyed)).status_code == 403
    assert check(client.get("/api/v1/sync/?locale=en", HTTP_AUTHORIZATION="Api-Key nope.nope")).status_code == 401
    for url in ("/api/v1/sync/?locale=en", "/api/v1/export/", "/api/v1/translation-status/"):
        assert check(client.get(url)).status_code == 401
    assert check(client.get("/api/v1/translation-status/", **keyed)).status_code == 403
    assert check(client.get("/api/v1/preview/whatever/", **keyed)).status_code == 403
    assert check(client.get("/api/v1/preview/whatever/")).status_code == 401
    with override_settings(API_ANON_THROTTLE_RATE="2/minute"):
        cache.clear()
        statuses = [check(client.get("/api/v1/locales/")).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        statuses = [check(client.get(f"/api/v1/pages/{key}/")).status_code for _ in range(1)]
        assert statuses == [429]
    cache.clear()
    assert_no_failures(check)


def test_keyed_endpoints_match_the_document(check):
    from wagtail.models import Page

    from cms.review.signing import make_preview_token

    client = Client()
    _key, raw = ApiKey.objects.create_key(name="Front-end", scopes=[Scope.PREVIEW, Scope.EXPORT, Scope.TRANSLATION])
    keyed = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    for code in served_locales():
        url = f"/api/v1/sync/?locale={code}&limit=2"
        while url:
            response = check(client.get(url, **keyed))
            assert response.status_code == 200
            url = relative(response.json()["next"]) if response.json()["has_more"] else None
        cursor = response.json()["cursor"]
        assert check(client.get(f"/api/v1/sync/?locale={code}&cursor={cursor}", **keyed)).status_code == 200
    assert check(client.get("/api/v1/sync/?locale=en&cursor=garbage", **keyed)).status_code == 400
    assert check(client.get("/api/v1/sync/", **keyed)).status_code == 400
    assert check(client.get("/api/v1/sync/?locale=en&limit=0", **keyed)).status_code == 400
    assert check(client.get("/api/v1/export/?locale=fr", **keyed)).status_code == 200
    assert check(client.get("/api/v1/export/?locale=xx", **keyed)).status_code == 400
    assert check(client.get("/api/v1/translation-status/", **keyed)).status_code == 200
    assert check(client.get("/api/v1/translation-status/?locale=fr&state=complete", **keyed)).status_code == 200
    assert check(client.get("/api/v1/translation-status/?locale=xx", **keyed)).status_code == 400

    for page in Page.objects.live().filter(depth__gt=1).specific():
        key = page.translation_key
        code = page.locale.language_code
        assert check(client.get(f"/api/v1/pages/{key}/?locale={code}&version=draft", **keyed)).status_code == 200
        token = make_preview_token(page, lifetime_hours=1)
        assert check(client.get(f"/api/v1/preview/{token}/", **keyed)).status_code == 200
    assert check(client.get("/api/v1/preview/not-a-token/", **keyed)).status_code == 404
    assert_no_failures(check)


def test_medical_review_and_require_approved_match_the_document(check):
    from wagtail.models import Page

    from pages.snippets import Device

    client = Client()
    comparison = Page.objects.get(locale__language_code="fr", content_type__model="devicecomparisonpage")
    url = f"/api/v1/pages/{comparison.translation_key}/"
    for code in served_locales():
        review = check(client.get(url, {"locale": code, "require": "approved"})).json()["meta"]["medical_review"]
        assert review["status"] == "approved" and review["market"].startswith(f"{code}-"), review

    device = Device.objects.filter(locale__language_code="fr").first()
    device.name = f"{device.name} (nouveau)"
    device.save()  # voids the French comparison's approval

    assert check(client.get(url, {"locale": "fr"})).json()["meta"]["medical_review"]["status"] == "needs_re_review"
    fallback = check(client.get(url, {"locale": "fr", "require": "approved"})).json()
    assert (fallback["locale"], fallback["fallback"]) == ("en", True)
    assert check(client.get(url, {"locale": "fr", "require": "approved", "fallback": "false"})).status_code == 404
    assert check(client.get(url, {"require": "everything"})).status_code == 400
    assert_no_failures(check)


def test_translation_status_review_matches_the_document(check):
    """A real void (an edit after approval) shows as needs_re_review in the status endpoint."""
    from cms.review.models import MedicalApproval
    from pages.models import ProcedurePage

    client = Client()
    _key, raw = ApiKey.objects.create_key(name="Vendor dashboard", scopes=[Scope.TRANSLATION])
    keyed = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    english = ProcedurePage.objects.get(locale__language_code="en")
    french = ProcedurePage.objects.get(locale__language_code="fr")

    def row(locale):
        body = check(client.get("/api/v1/translation-status/", {"locale": locale}, **keyed)).json()
        return next(result for result in body["results"] if result["page"]["id"] == english.pk)

    assert (row("fr")["page"]["review"], row("fr")["review"]) == ("approved", "approved")
    for page, summary in ((english, "A new claim."), (french, "Une nouvelle affirmation.")):
        draft = page.get_latest_revision_as_object()
        draft.summary = summary
        draft.save_revision()
        assert MedicalApproval.objects.filter(page=page, void_reason=MedicalApproval.Void.EDITED).exists()

    assert (row("fr")["page"]["review"], row("fr")["review"]) == ("needs_re_review", "needs_re_review")
    assert (row("de")["page"]["review"], row("de")["review"]) == ("needs_re_review", "approved")
    homes = check(client.get("/api/v1/translation-status/", {"locale": "de"}, **keyed)).json()["results"]
    assert {result["review"] for result in homes if result["page"]["path"].count("/") == 2} == {None}
    assert_no_failures(check)


def test_listing_require_approved_matches_the_document_and_follows_voids(check):
    """``/pages/?require=approved`` leaves out what the detail refuses: a page whose approval
    a device edit voided is served from the next locale of its chain (or left out with
    ``locale=*``); its cached answers go with the void."""
    from wagtail.models import Page

    from pages.snippets import Device

    client = Client()
    comparison = Page.objects.get(locale__language_code="fr", content_type__model="devicecomparisonpage")
    key = str(comparison.translation_key)

    def listing(**params):
        response = check(client.get("/api/v1/pages/", {"limit": 100, **params}))
        assert response.status_code == 200, response.content
        return response

    def served(body):
        return {row["key"]: (row["locale"], row["fallback"]) for row in body["results"]}

    everything = listing(locale="fr").json()
    approved = listing(locale="fr", require="approved")
    assert approved["X-Cache"] == "miss"
    assert served(approved.json()) == served(everything)  # the whole demo is approved
    assert listing(locale="fr", require="approved")["X-Cache"] == "hit"
    assert "approved" in listing(locale="fr", require="approved")["Cache-Tag"].split(",")
    # A window that does not show the comparison still counts it.
    first = listing(locale="*", require="approved", limit=1)
    assert key not in served(first.json())
    assert listing(locale="*", require="approved", limit=1)["X-Cache"] == "hit"

    device = Device.objects.filter(locale__language_code="fr").first()
    device.name = f"{device.name} (nouveau)"
    device.save()  # voids the French comparison's approval

    assert served(listing(locale="fr").json())[key] == ("fr", False)  # without the parameter, as before
    after = listing(locale="fr", require="approved")
    assert after["X-Cache"] == "miss"
    assert served(after.json())[key] == ("en", True)
    assert after.json()["count"] == everything["count"]
    detail = check(client.get(f"/api/v1/pages/{key}/", {"locale": "fr", "require": "approved"})).json()
    assert (detail["locale"], detail["fallback"]) == ("en", True)  # the detail says the same
    every = {(row["key"], row["locale"]) for row in listing(locale="*", require="approved").json()["results"]}
    assert (key, "en") in every and (key, "fr") not in every
    assert (key, "fr") in {(row["key"], row["locale"]) for row in listing(locale="*").json()["results"]}
    first_after = listing(locale="*", require="approved", limit=1)
    assert first_after["X-Cache"] == "miss"
    assert first_after.json()["count"] == first.json()["count"] - 1
    paged = listing(locale="fr", require="approved", type="pages.DeviceComparisonPage", limit=1).json()
    assert [(row["key"], row["locale"]) for row in paged["results"]] == [(key, "en")]

    assert check(client.get("/api/v1/pages/", {"require": "everything"})).status_code == 400
    assert_no_failures(check)


def test_listing_require_approved_keeps_a_page_whose_edit_awaits_review(check):
    """An edit after approval voids it, but the live content is still the approved one: the
    listing keeps it, as the detail does."""
    from cms.review.models import MedicalApproval
    from pages.models import ProcedurePage

    client = Client()
    french = ProcedurePage.objects.get(locale__language_code="fr")
    draft = french.get_latest_revision_as_object()
    draft.summary = "Une nouvelle affirmation."
    draft.save_revision()
    assert MedicalApproval.objects.filter(page=french, void_reason=MedicalApproval.Void.EDITED).exists()

    params = {"locale": "fr", "require": "approved", "type": "pages.ProcedurePage"}
    body = check(client.get("/api/v1/pages/", params)).json()
    assert [(row["key"], row["locale"]) for row in body["results"]] == [(str(french.translation_key), "fr")]
    assert_no_failures(check)
