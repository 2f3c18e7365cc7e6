"""CDN purge: configured from the environment, run after commit, by tag or by every URL showing a change."""

import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.images import ImageFile
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.api.models import Invalidation
from cms.delivery.cdn_backends import CloudflareTagBackend, FastlyBackend
from cms.delivery.cdn_settings import frontend_cache_from_env
from pages.models import DeviceComparisonPage, ProcedureIndexPage
from tests.utils import device, procedure_page

from .conftest import add_page, publish, translate

BASE = "https://content.clinic.example"
SERVED = ("en", "fr", "de", "es")


class RecordingCDN(BaseBackend):
    """A URL-only frontend-cache backend (like CloudFront or Varnish) that writes down each URL."""

    purged = []

    def purge(self, url):
        RecordingCDN.purged.append(url)


class RecordingTagCDN(BaseBackend):
    """A backend that purges by tag (like Cloudflare or Fastly): writes down each call."""

    calls = []
    urls = []

    def purge(self, url):
        RecordingTagCDN.urls.append(url)

    def purge_tags(self, tags):
        RecordingTagCDN.calls.append(list(tags))


class Purges:
    """What the two recording backends were asked since the last :meth:`clear`."""

    @property
    def urls(self):
        return set(RecordingCDN.purged)

    @property
    def tag_calls(self):
        return RecordingTagCDN.calls

    def clear(self):
        RecordingCDN.purged, RecordingTagCDN.calls, RecordingTagCDN.urls = [], [], []
        self.since = Invalidation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def change_tags(self):
        """The tags of each change logged since :meth:`clear`, plus the overflow tag: what a tag purge must name."""
        rows = Invalidation.objects.filter(pk__gt=self.since).order_by("pk")
        return [sorted({*row.tags.split(), "big"}) for row in rows]


@pytest.fixture
def cdn(settings, db):
    settings.WAGTAILFRONTENDCACHE = {
        "urls": {"BACKEND": f"{__name__}.RecordingCDN"},
        "tags": {"BACKEND": f"{__name__}.RecordingTagCDN"},
    }
    settings.PUBLIC_BASE_URL = BASE
    purges = Purges()
    purges.clear()
    yield purges
    assert all(url.startswith(f"{BASE}/api/v1/") for url in RecordingCDN.purged), "only API URLs are served"
    assert RecordingTagCDN.urls == [], "a backend that purges by tag never needs URLs"


def change(capture, action):
    """Run ``action`` and the callbacks its commit would run (tests run inside a transaction)."""
    with capture(execute=True):
        return action()


# URLs as a browser's URLSearchParams writes them.
def _with_locales(url, locales, bare=True, **params):
    found = {f"{url}?{urlencode({**params, 'locale': code}, safe='*')}" for code in [*locales, "*"]}
    return found | {f"{url}?{urlencode(params)}" if params else url} if bare else found


def detail(key, *locales):
    """The detail URLs of ``key`` for ``locales``, without locale and with locale=*."""
    return _with_locales(f"{BASE}/api/v1/pages/{key}/", locales)


def find(path, *locales, bare=True):
    """The find URLs of ``path`` for ``locales`` and *, and without locale when ``bare``."""
    return _with_locales(f"{BASE}/api/v1/pages/find/", locales, bare=bare, path=path)


def listings(*locales, **params):
    return _with_locales(f"{BASE}/api/v1/pages/", locales, **params)


# --- Settings from the environment ------------------------------------------------------


def test_no_backend_means_no_cdn():
    assert frontend_cache_from_env({}) == {}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONEID": "z1", "CLOUDFLARE_BEARER_TOKEN": "tok"},
            {"BACKEND": "cms.delivery.cdn_backends.CloudflareTagBackend", "ZONEID": "z1", "BEARER_TOKEN": "tok"},
        ),
        (
            {
                "FRONTEND_CACHE_BACKEND": "Cloudflare",
                "CLOUDFLARE_ZONEID": "z1",
                "CLOUDFLARE_EMAIL": "ops@clinic.example",
                "CLOUDFLARE_API_KEY": "k",
            },
            {
                "BACKEND": "cms.delivery.cdn_backends.CloudflareTagBackend",
                "ZONEID": "z1",
                "EMAIL": "ops@clinic.example",
                "API_KEY": "k",
            },
        ),
        (
            {"FRONTEND_CACHE_BACKEND": "fastly", "FASTLY_SERVICE_ID": "svc", "FASTLY_API_TOKEN": "tok"},
            {
                "BACKEND": "cms.delivery.cdn_backends.FastlyBackend",
                "SERVICE_ID": "svc",
                "API_TOKEN": "tok",
                "SOFT_PURGE": False,
            },
        ),
        (
            {
                "FRONTEND_CACHE_BACKEND": "fastly",
                "FASTLY_SERVICE_ID": "svc",
                "FASTLY_API_TOKEN": "tok",
                "FASTLY_SOFT_PURGE": "True",
            },
            {
                "BACKEND": "cms.delivery.cdn_backends.FastlyBackend",
                "SERVICE_ID": "svc",
                "API_TOKEN": "tok",
                "SOFT_PURGE": True,
            },
        ),
        (
            {
                "FRONTEND_CACHE_BACKEND": "cloudfront",
                "CLOUDFRONT_DISTRIBUTION_ID": "E123",
                "FRONTEND_CACHE_HOSTNAMES": "content.clinic.example, www.clinic.example",
            },
            {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
                "DISTRIBUTION_ID": "E123",
                "HOSTNAMES": ["content.clinic.example", "www.clinic.example"],
            },
        ),
        (
            {"FRONTEND_CACHE_BACKEND": "http", "FRONTEND_CACHE_LOCATION": "http://varnish:6081"},
            {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://varnish:6081"},
        ),
    ],
)
def test_each_backend_is_configured_from_its_variables(environ, expected):
    assert frontend_cache_from_env(environ) == {"default": expected}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"FRONTEND_CACHE_BACKEND": "akamai"},
            "'akamai' is not supported; use one of cloudflare, cloudfront, fastly, http",
        ),
        ({"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_BEARER_TOKEN": "t"}, "needs CLOUDFLARE_ZONEID"),
        (
            {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONEID": "z", "CLOUDFLARE_EMAIL": "e"},
            "needs CLOUDFLARE_API_KEY",
        ),
        ({"FRONTEND_CACHE_BACKEND": "fastly"}, "needs FASTLY_SERVICE_ID, FASTLY_API_TOKEN"),
        (
            {
                "FRONTEND_CACHE_BACKEND": "fastly",
                "FASTLY_SERVICE_ID": "svc",
                "FASTLY_API_TOKEN": "tok",
                "FASTLY_SOFT_PURGE": "sometimes",
            },
            "FASTLY_SOFT_PURGE='sometimes' is not a boolean",
        ),
        ({"FRONTEND_CACHE_BACKEND": "cloudfront"}, "needs CLOUDFRONT_DISTRIBUTION_ID"),
        ({"FRONTEND_CACHE_BACKEND": "http", "FRONTEND_CACHE_LOCATION": "  "}, "needs FRONTEND_CACHE_LOCATION"),
    ],
)
def test_a_missing_or_unknown_setting_fails_loudly(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        frontend_cache_from_env(environ)


def test_cloudflare_and_fastly_from_the_environment_purge_by_tag():
    for environ in (
        {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONEID": "z1", "CLOUDFLARE_BEARER_TOKEN": "tok"},
        {"FRONTEND_CACHE_BACKEND": "fastly", "FASTLY_SERVICE_ID": "svc", "FASTLY_API_TOKEN": "tok"},
    ):
        (backend,) = get_backends(frontend_cache_from_env(environ)).values()
        assert callable(backend.purge_tags)


# --- Purging what a change shows -------------------------------------------------------------


@pytest.fixture
def site(treatments, locales, cdn):
    """/en/treatments/ (translated: /fr/treatments/) with /en/treatments/microneedling/, and
    /en/clinics/, a section whose introduction links to the treatments."""
    child = add_page(treatments, "Microneedling", "microneedling")
    french = translate(treatments, locales["fr"])
    clinics = ProcedureIndexPage(
        title="Clinics", slug="clinics", intro=f'<p>See <a linktype="page" id="{treatments.pk}">treatments</a>.</p>'
    )
    treatments.get_parent().add_child(instance=clinics)
    publish(clinics)
    home = treatments.get_parent()
    cdn.clear()
    return {
        "home": home,
        "treatments": treatments,
        "child": child,
        "french": french,
        "clinics": clinics,
        "key": str(treatments.translation_key),
    }


@pytest.mark.django_db
def test_a_content_edit_purges_its_tags_or_the_page_its_listings_and_find_urls_where_it_is_served(
    site, cdn, django_capture_on_commit_callbacks
):
    treatments = site["treatments"]
    change(django_capture_on_commit_callbacks, lambda: treatments.save_revision().publish())

    assert cdn.tag_calls == [["big", f"p:{treatments.pk}", "rows"]]
    assert cdn.tag_calls == cdn.change_tags()
    # fr serves its own translation, so its answers stay; de and es fall back to English.
    # The fr path asked for in another locale is answered with the English page.
    home = str(site["home"].translation_key)
    assert cdn.urls == (
        detail(site["key"], "en", "de", "es")
        | find("/en/treatments/", "en", "de", "es")
        | find("/fr/treatments/", "en", "de", "es", bare=False)
        | listings("en", "de", "es")
        | listings("en", "de", "es", child_of=home)
    )


@pytest.mark.django_db
def test_nothing_is_purged_before_the_commit(site, cdn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_page(site["treatments"], "Peels", "peels")
    assert cdn.urls == set()
    assert cdn.tag_calls == []

    for callback in callbacks:
        callback()
    assert find("/en/treatments/peels/", *SERVED) <= cdn.urls
    assert cdn.tag_calls == cdn.change_tags() != []


@pytest.mark.django_db
def test_a_retitle_also_purges_the_parent_the_children_and_the_pages_linking_to_it(
    site, cdn, django_capture_on_commit_callbacks
):
    treatments = Page.objects.get(pk=site["treatments"].pk).specific
    treatments.title = "Care"
    change(django_capture_on_commit_callbacks, lambda: publish(treatments))

    assert cdn.tag_calls == cdn.change_tags() == [["big", f"p:{treatments.pk}", f"r:{treatments.pk}", "rows", "titles"]]
    home, child, clinics = (str(site[name].translation_key) for name in ("home", "child", "clinics"))
    assert detail(home, "en", "de", "es") | find("/en/", "en", "de", "es") <= cdn.urls  # lists it as a child
    assert detail(child, *SERVED) | find("/en/treatments/microneedling/", *SERVED) <= cdn.urls  # shows its parent
    assert detail(clinics, *SERVED) <= cdn.urls  # links to it
    # The French home lists the French treatments, which did not change.
    assert f"{BASE}/api/v1/pages/{home}/?locale=fr" not in cdn.urls


@pytest.mark.django_db
def test_a_content_edit_leaves_the_pages_showing_its_title_alone(site, cdn, django_capture_on_commit_callbacks):
    change(django_capture_on_commit_callbacks, lambda: site["treatments"].save_revision().publish())

    for name in ("home", "child", "clinics"):
        assert not any(str(site[name].translation_key) in url for url in cdn.urls if "child_of" not in url), name


@pytest.mark.django_db
def test_unpublishing_a_translation_purges_every_locale_its_old_path_and_its_parent(
    site, cdn, django_capture_on_commit_callbacks
):
    french = site["french"]
    change(django_capture_on_commit_callbacks, french.unpublish)

    (tags,) = cdn.tag_calls
    assert tags == cdn.change_tags()[0]
    assert {f"k:{french.translation_key.hex}", f"c:{french.get_parent().pk}", "list"} <= set(tags)
    home, clinics = str(site["home"].translation_key), str(site["clinics"].translation_key)
    assert (
        # fr now falls back to English: the key's answer changes in every locale.
        detail(site["key"], *SERVED)
        | find("/fr/treatments/", *SERVED)  # the path it leaves: a 404 now
        | find("/en/treatments/", *SERVED)
        | detail(home, "fr")  # the French home listed it as a child
        | find("/fr/", "fr")
        | find("/en/", "fr", bare=False)  # the English path asked for in French
        | detail(clinics, *SERVED)  # links to the key: French readers now get the English page
        | find("/en/clinics/", *SERVED)
        | listings(*SERVED)
        | listings(*SERVED, child_of=home)
    ) == cdn.urls


@pytest.mark.django_db
def test_a_move_purges_the_old_and_new_paths_both_parents_and_the_pages_below(
    site, cdn, django_capture_on_commit_callbacks
):
    child, clinics = site["child"], site["clinics"]
    grandchild = add_page(child, "Aftercare", "aftercare")
    cdn.clear()

    change(django_capture_on_commit_callbacks, lambda: Page.objects.get(pk=child.pk).move(clinics, "last-child"))

    assert cdn.tag_calls == cdn.change_tags()
    assert {f"c:{site['treatments'].pk}", f"c:{clinics.pk}"} <= set(cdn.tag_calls[0])
    treatments = site["key"]
    assert (
        find("/en/treatments/microneedling/", *SERVED)
        | find("/en/clinics/microneedling/", *SERVED)
        | find("/en/treatments/microneedling/aftercare/", *SERVED)
        | find("/en/clinics/microneedling/aftercare/", *SERVED)
        | detail(str(child.translation_key), *SERVED)
        | detail(str(grandchild.translation_key), *SERVED)
        | detail(treatments, "en", "de", "es")  # the old parent (fr has its own copy)
        | detail(str(clinics.translation_key), *SERVED)  # the new one
        | listings(*SERVED, child_of=treatments)
        | listings(*SERVED, child_of=str(clinics.translation_key))
        | listings(*SERVED)
    ) <= cdn.urls


@pytest.mark.django_db
def test_a_delete_purges_the_gone_page_from_its_change_rows_and_its_parent(
    site, cdn, django_capture_on_commit_callbacks
):
    child = site["child"]
    key = str(child.translation_key)
    change(django_capture_on_commit_callbacks, lambda: Page.objects.get(pk=child.pk).delete())

    stale = {f"p:{child.pk}", f"r:{child.pk}", f"k:{child.translation_key.hex}", f"c:{site['treatments'].pk}"}
    assert cdn.tag_calls == cdn.change_tags() == [sorted({*stale, "list", "rows", "titles", "big"})]
    assert (
        detail(key, *SERVED)
        | find("/en/treatments/microneedling/", *SERVED)
        | detail(site["key"], "en", "de", "es")
        | find("/en/treatments/", "en", "de", "es")
        | listings(*SERVED)
        | listings(*SERVED, child_of=site["key"])
    ) <= cdn.urls


@pytest.mark.django_db
def test_a_device_edit_purges_the_pages_showing_that_device(site, cdn, django_capture_on_commit_callbacks):
    pen = device("Clinic pen")
    procedure = site["treatments"].add_child(instance=procedure_page(title="Peels", slug="peels", live=False))
    publish(procedure)
    comparison = procedure.add_child(
        instance=DeviceComparisonPage(
            title="Devices",
            slug="devices",
            summary="Pens side by side.",
            devices=[("device", {"device": pen, "remark": ""})],
            live=False,
        )
    )
    publish(comparison)
    cdn.clear()

    pen.needle_length_max = 2
    change(django_capture_on_commit_callbacks, pen.save)

    assert cdn.tag_calls == cdn.change_tags() == [["big", f"d:{pen.pk}"]]
    path = "/en/treatments/peels/devices/"
    assert cdn.urls == detail(str(comparison.translation_key), *SERVED) | find(path, *SERVED)


def png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 170)).save(buffer, format="PNG")
    return ImageFile(buffer, name="treatment.png")


@pytest.mark.django_db
def test_an_image_edit_purges_the_pages_showing_that_image(site, cdn, django_capture_on_commit_callbacks):
    image = get_image_model().objects.create(title="Treatment photo", file=png())
    procedure = site["treatments"].add_child(
        instance=procedure_page(title="Peels", slug="peels", hero_image=image, hero_image_alt="A cheek", live=False)
    )
    publish(procedure)
    cdn.clear()

    image.title = "Cheek"
    change(django_capture_on_commit_callbacks, image.save)

    assert cdn.tag_calls == cdn.change_tags() == [["big", f"i:{image.pk}"]]
    path = "/en/treatments/peels/"
    assert cdn.urls == detail(str(procedure.translation_key), *SERVED) | find(path, *SERVED)


@pytest.mark.django_db
def test_a_site_change_purges_every_page_every_listing_and_the_locales(site, cdn, django_capture_on_commit_callbacks):
    default = Site.objects.get(is_default_site=True)
    default.site_name = "Clinic"
    change(django_capture_on_commit_callbacks, default.save)

    assert cdn.tag_calls == cdn.change_tags() == [["big", "site"]]
    assert f"{BASE}/api/v1/locales/" in cdn.urls
    assert listings(*SERVED) | listings(*SERVED, require="complete") | listings(*SERVED, require="approved") <= cdn.urls
    for name in ("home", "treatments", "child", "clinics"):
        assert detail(str(site[name].translation_key), *SERVED) <= cdn.urls


@pytest.mark.django_db
def test_a_voided_approval_purges_the_page_and_the_listings_that_require_approval(
    site, cdn, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from cms.review.approvals import void
    from cms.review.markets import ensure_markets
    from cms.review.models import MedicalApproval

    child = Page.objects.get(pk=site["child"].pk).specific
    approval = MedicalApproval.objects.create(
        page=child,
        market=ensure_markets()["en-GB"],
        revision_id=child.live_revision_id,
        content_hash="0" * 64,
        reviewer_name="Dr Ana Ruiz",
        qualification="Dermatologist",
        registration_number="GMC 7123456",
        approved_at=timezone.now(),
    )
    cdn.clear()
    change(django_capture_on_commit_callbacks, lambda: void(approval, MedicalApproval.Void.DEVICE, child))

    assert cdn.tag_calls == cdn.change_tags()
    assert any("approved" in call and f"p:{child.pk}" in call for call in cdn.tag_calls)
    assert listings(*SERVED, require="approved") <= cdn.urls
    assert detail(str(child.translation_key), *SERVED) <= cdn.urls


@pytest.mark.django_db
def test_a_broken_cdn_configuration_never_fails_the_change(site, settings, caplog, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": "no.such.Backend"}}
    with caplog.at_level(logging.ERROR, logger="cms.delivery.cdn"):
        change(django_capture_on_commit_callbacks, lambda: site["treatments"].save_revision().publish())
    assert "misconfigured" in caplog.text


# --- The tag backends' HTTP calls ------------------------------------------------------------


class PurgeAPI:
    """A local HTTP server standing in for Cloudflare's and Fastly's APIs: records each request."""

    def __init__(self):
        self.requests = []
        self.answers = []  # (status, JSON body), one per request; then 200 {"success": true}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                api.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                status, answer = api.answers.pop(0) if api.answers else (200, {"success": True})
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PURGE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def purge_api():
    server = PurgeAPI()
    yield server
    server.close()


def cloudflare(purge_api, **params):
    backend = CloudflareTagBackend({"ZONEID": "z1", **params})
    backend.cloudflare_purge_endpoint_url = f"{purge_api.url}/client/v4/zones/z1/purge_cache"
    return backend


TAGS = [f"p:{n}" for n in range(65)]


def test_cloudflare_purges_tags_in_batches_of_30_with_the_overflow_tag(purge_api):
    cloudflare(purge_api, BEARER_TOKEN="tok").purge_tags(TAGS)

    bodies = [json.loads(request["body"]) for request in purge_api.requests]
    assert [len(body["tags"]) for body in bodies] == [30, 30, 6]
    assert sorted(tag for body in bodies for tag in body["tags"]) == sorted([*TAGS, "big"])
    for request in purge_api.requests:
        assert (request["method"], request["path"]) == ("POST", "/client/v4/zones/z1/purge_cache")
        assert request["headers"]["Authorization"] == "Bearer tok"
        assert request["headers"]["Content-Type"] == "application/json"


def test_cloudflare_tag_purges_use_the_email_and_key_when_there_is_no_token(purge_api):
    cloudflare(purge_api, EMAIL="ops@clinic.example", API_KEY="k").purge_tags(["p:1"])

    (request,) = purge_api.requests
    assert json.loads(request["body"]) == {"tags": ["big", "p:1"]}
    assert (request["headers"]["X-Auth-Email"], request["headers"]["X-Auth-Key"]) == ("ops@clinic.example", "k")
    assert "Authorization" not in request["headers"]


def test_a_failed_cloudflare_purge_is_logged_not_raised(purge_api, caplog):
    purge_api.answers = [(403, {"success": False, "errors": [{"code": 10000, "message": "Authentication error"}]})]
    backend = cloudflare(purge_api, BEARER_TOKEN="tok")
    with caplog.at_level(logging.ERROR, logger="cms.delivery.cdn_backends"):
        backend.purge_tags(["p:1"])
        purge_api.close()
        backend.purge_tags(["p:2"])  # nothing listens any more

    assert "Couldn't purge tags big p:1 from Cloudflare (HTTP 403): Authentication error" in caplog.text
    assert "Couldn't purge tags big p:2 from Cloudflare" in caplog.text


def test_fastly_purges_surrogate_keys_in_batches_of_256(purge_api):
    tags = [f"p:{n}" for n in range(600)]
    FastlyBackend({"SERVICE_ID": "svc", "API_TOKEN": "tok", "API_URL": purge_api.url}).purge_tags(tags)

    keys = [request["headers"]["Surrogate-Key"].split(" ") for request in purge_api.requests]
    assert [len(batch) for batch in keys] == [256, 256, 89]
    assert sorted(key for batch in keys for key in batch) == sorted([*tags, "big"])
    for request in purge_api.requests:
        assert (request["method"], request["path"]) == ("POST", "/service/svc/purge")
        assert request["headers"]["Fastly-Key"] == "tok"
        assert "Fastly-Soft-Purge" not in request["headers"]


def test_fastly_soft_purges_keys_and_urls_when_asked(purge_api):
    backend = FastlyBackend({"SERVICE_ID": "svc", "API_TOKEN": "tok", "API_URL": purge_api.url, "SOFT_PURGE": True})
    backend.purge_tags(["p:1"])
    backend.purge_batch([f"{purge_api.url}/api/v1/pages/find/?path=%2Fen%2F&locale=*"])

    keys, url = purge_api.requests
    assert (keys["method"], keys["headers"]["Surrogate-Key"]) == ("POST", "big p:1")
    assert (url["method"], url["path"]) == ("PURGE", "/api/v1/pages/find/?path=%2Fen%2F&locale=*")
    for request in (keys, url):
        assert (request["headers"]["Fastly-Key"], request["headers"]["Fastly-Soft-Purge"]) == ("tok", "1")


def test_a_failed_fastly_purge_is_logged_not_raised(purge_api, caplog):
    purge_api.answers = [(401, {"msg": "Provided credentials are missing or invalid"})]
    with caplog.at_level(logging.ERROR, logger="cms.delivery.cdn_backends"):
        FastlyBackend({"SERVICE_ID": "svc", "API_TOKEN": "bad", "API_URL": purge_api.url}).purge_tags(["p:1"])

    assert "Couldn't purge big p:1 from Fastly: HTTP 401" in caplog.text


def test_fastly_needs_its_service_and_token():
    with pytest.raises(ImproperlyConfigured, match="requires 'SERVICE_ID' and 'API_TOKEN'"):
        FastlyBackend({"SERVICE_ID": "svc"})
