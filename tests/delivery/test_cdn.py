"""CDN purge: configured from the environment, run after commit, in every serving locale."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.contrib.frontend_cache.backends import BaseBackend

from cms.delivery.cdn_settings import frontend_cache_from_env

from .conftest import add_page, translate


class RecordingCDN(BaseBackend):
    """A frontend-cache backend that writes down what it was asked to purge."""

    purged = []

    def purge(self, url):
        RecordingCDN.purged.append(url)


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": f"{__name__}.RecordingCDN"}}
    settings.PUBLIC_BASE_URL = "https://content.clinic.example"
    RecordingCDN.purged = []
    return RecordingCDN


# --- Settings from the environment ------------------------------------------------------


def test_no_backend_means_no_cdn():
    assert frontend_cache_from_env({}) == {}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONEID": "z1", "CLOUDFLARE_BEARER_TOKEN": "tok"},
            {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
                "ZONEID": "z1",
                "BEARER_TOKEN": "tok",
            },
        ),
        (
            {
                "FRONTEND_CACHE_BACKEND": "Cloudflare",
                "CLOUDFLARE_ZONEID": "z1",
                "CLOUDFLARE_EMAIL": "ops@clinic.example",
                "CLOUDFLARE_API_KEY": "k",
            },
            {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
                "ZONEID": "z1",
                "EMAIL": "ops@clinic.example",
                "API_KEY": "k",
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
        ({"FRONTEND_CACHE_BACKEND": "akamai"}, "'akamai' is not supported; use one of cloudflare, cloudfront, http"),
        ({"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_BEARER_TOKEN": "t"}, "needs CLOUDFLARE_ZONEID"),
        (
            {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_ZONEID": "z", "CLOUDFLARE_EMAIL": "e"},
            "needs CLOUDFLARE_API_KEY",
        ),
        ({"FRONTEND_CACHE_BACKEND": "cloudfront"}, "needs CLOUDFRONT_DISTRIBUTION_ID"),
        ({"FRONTEND_CACHE_BACKEND": "http", "FRONTEND_CACHE_LOCATION": "  "}, "needs FRONTEND_CACHE_LOCATION"),
    ],
)
def test_a_missing_or_unknown_setting_fails_loudly(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        frontend_cache_from_env(environ)


# --- Purging ------------------------------------------------------------------------------


def api(key, locale):
    return f"https://content.clinic.example/api/v1/pages/{key}/?locale={locale}"


def find(path, locale):
    return f"https://content.clinic.example/api/v1/pages/find/?path={path.replace('/', '%2F')}&locale={locale}"


@pytest.mark.django_db
def test_publishing_purges_the_page_in_its_locale_and_every_locale_falling_back_to_it(
    treatments, locales, cdn, django_capture_on_commit_callbacks
):
    translate(treatments, locales["fr"])
    cdn.purged = []
    key = treatments.translation_key

    with django_capture_on_commit_callbacks(execute=True):
        treatments.save_revision().publish()

    # fr serves its own translation, so its cache stays; de and es fall back to English.
    assert sorted(cdn.purged) == sorted(
        [
            "https://content.clinic.example/en/treatments/",
            api(key, "en"),
            api(key, "de"),
            api(key, "es"),
            find("/en/treatments/", "en"),
            find("/en/treatments/", "de"),
            find("/en/treatments/", "es"),
        ]
    )


@pytest.mark.django_db
def test_nothing_is_purged_before_the_commit(treatments, cdn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_page(treatments, "Microneedling", "microneedling")
    assert cdn.purged == []

    for callback in callbacks:
        callback()
    assert "https://content.clinic.example/en/treatments/microneedling/" in cdn.purged


@pytest.mark.django_db
def test_unpublishing_a_translation_purges_it_and_the_locales_that_fell_back_to_it(
    treatments, locales, cdn, settings, django_capture_on_commit_callbacks
):
    french = translate(treatments, locales["fr"])
    cdn.purged = []

    with django_capture_on_commit_callbacks(execute=True):
        french.unpublish()

    assert sorted(cdn.purged) == sorted(
        [
            "https://content.clinic.example/fr/treatments/",
            api(french.translation_key, "fr"),
            find("/fr/treatments/", "fr"),
        ]
    )
