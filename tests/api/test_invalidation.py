"""A change invalidates exactly the cached answers that show it; everything else stays a hit.

Counted with the ``X-Cache`` header of real reads: every URL is read once to fill the
cache, once to check it is a hit, then again after the change.
"""

import socket
import threading

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils.http import http_date
from wagtail.models import Page

from cms.api import cache_backend, caching, invalidation
from cms.api.models import TagState
from pages.models import DeviceComparisonPage, ProcedurePage, SafetyChecklistPage
from tests.utils import device

from .conftest import add_page, build_site, publish


@pytest.fixture
def two_procedures(db):
    """The small site (one procedure, its checklist and comparison of two devices) and a
    second procedure with its own checklist and a comparison of one other device."""
    site = build_site(with_french=False)
    site.other = add_page(
        site.home,
        ProcedurePage,
        title="Dermaplaning",
        summary="A blade removes the top layer.",
        what_it_is="<p>Exfoliation with a blade.</p>",
        performed_by=["aesthetician"],
    )
    site.other_checklist = add_page(site.other, SafetyChecklistPage, title="Blade safety", summary="Check.")
    site.other_device = device("Blade")
    site.other_comparison = add_page(
        site.other,
        DeviceComparisonPage,
        title="Blades",
        summary="One blade.",
        devices=[("device", {"device": site.other_device, "remark": ""})],
    )
    return site


def urls_of(site):
    """Every answer a front end would cache, by a readable name."""
    pages = {
        name: getattr(site, name)
        for name in ("home", "procedure", "checklist", "comparison", "other", "other_checklist", "other_comparison")
    }
    urls = {
        f"{name} {locale}": f"/api/v1/pages/{page.translation_key}/?locale={locale}"
        for name, page in pages.items()
        for locale in ("en", "fr")
    }
    urls["listing"] = "/api/v1/pages/?limit=100"
    urls["other's children"] = f"/api/v1/pages/?child_of={site.other.translation_key}"
    return urls


def warm(api, urls):
    for url in urls.values():
        assert api.get(url).status_code == 200
    assert {name: api.get(url)["X-Cache"] for name, url in urls.items()} == dict.fromkeys(urls, "hit")


def misses(api, urls):
    answers = {name: api.get(url) for name, url in urls.items()}
    return {name for name, answer in answers.items() if answer.status_code != 200 or answer["X-Cache"] == "miss"}


def test_a_content_edit_stales_only_the_page_and_the_listings(two_procedures, api):
    site, urls = two_procedures, urls_of(two_procedures)
    warm(api, urls)
    site.procedure.summary = "Fine needles prompt new collagen."
    publish(site.procedure)
    # French clients are served the English page too (no translation): both answers show it.
    assert misses(api, urls) == {"procedure en", "procedure fr", "listing"}


def test_a_retitle_stales_what_shows_the_title(two_procedures, api):
    site, urls = two_procedures, urls_of(two_procedures)
    warm(api, urls)
    site.procedure.title = "Microneedling (collagen induction)"
    publish(site.procedure)
    shows_it = {"procedure", "home", "checklist", "comparison"}  # itself, its parent, its children
    assert misses(api, urls) == {f"{name} {locale}" for name in shows_it for locale in ("en", "fr")} | {"listing"}
    body = api.get(urls["checklist en"]).json()
    assert body["parent"]["title"] == "Microneedling (collagen induction)"


def test_a_device_edit_stales_exactly_the_comparisons_showing_it(two_procedures, api):
    site, urls = two_procedures, urls_of(two_procedures)
    warm(api, urls)
    site.other_device.needle_length_mm_max = 2.5
    site.other_device.save()
    assert misses(api, urls) == {"other_comparison en", "other_comparison fr"}


def test_an_unpublish_stales_its_parent_its_translations_and_listings(two_procedures, api):
    site, urls = two_procedures, urls_of(two_procedures)
    warm(api, urls)
    Page.objects.get(pk=site.other_checklist.pk).unpublish()
    assert misses(api, urls) == {"other en", "other fr", "listing", "other's children", "other_checklist en"} | {
        "other_checklist fr"
    }
    assert api.get(urls["other_checklist en"]).status_code == 404


# --- Last-Modified ---------------------------------------------------------------------------


def test_last_modified_is_the_latest_change_among_what_it_shows_and_survives_a_cache_clear(two_procedures, api):
    site = two_procedures
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    first = api.get(url)
    shown = Page.objects.filter(pk__in=[site.procedure.pk, site.home.pk, site.checklist.pk, site.comparison.pk])
    times = [page.last_published_at for page in shown]
    body = first.json()
    own_tags = {f"k:{site.procedure.translation_key.hex}", f"c:{site.procedure.pk}", "site"}
    own_tags |= {f"d:{pen.pk}" for pen in site.devices} & set(first["Cache-Tag"].split(","))
    times += list(TagState.objects.filter(tag__in=own_tags).values_list("changed_at", flat=True))
    assert first["Last-Modified"] == http_date(int(max(times).timestamp()))
    assert body["children"]  # what it shows includes its children
    cache.clear()
    invalidation.reset()
    again = api.get(url)
    assert again["X-Cache"] == "miss"
    assert (again["Last-Modified"], again["ETag"]) == (first["Last-Modified"], first["ETag"])


def test_last_modified_moves_on_when_a_child_disappears(two_procedures, api):
    site = two_procedures
    url = f"/api/v1/pages/{site.other.translation_key}/"
    before = api.get(url)
    Page.objects.get(pk=site.other_checklist.pk).unpublish()
    after = api.get(url)
    assert after["ETag"] != before["ETag"]
    # The parent's own publish is older than the moment its list of children changed.
    gone_at = TagState.objects.filter(tag=f"c:{site.other.pk}").latest("changed_at").changed_at
    assert gone_at >= Page.objects.get(pk=site.other.pk).last_published_at
    assert after["Last-Modified"] == http_date(int(gone_at.timestamp()))


# --- A cache server that fails ------------------------------------------------------------------

DOWN = {
    "default": {
        "BACKEND": "cms.api.cache_backend.FailSoftRedisCache",
        "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    }
}


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers: a Redis that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.mark.parametrize("failure", ["refused", "hangs"])
def test_a_cache_that_is_down_or_slow_never_fails_a_read(two_procedures, api, caplog, silent_server, failure):
    site = two_procedures
    port = silent_server if failure == "hangs" else _closed_port()
    settings = {"default": {**DOWN["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    try:
        with override_settings(CACHES=settings, API_ANON_THROTTLE_RATE="1000/minute"):
            answers = [api.get(url) for _ in range(3)]
            assert [answer.status_code for answer in answers] == [200, 200, 200]
            assert {answer["X-Cache"] for answer in answers} == {"miss"}
            assert api.get("/api/v1/pages/").status_code == 200
            healthy, error = caching.healthy()
            assert not healthy and error
            site.procedure.summary = "Edited while the cache is down."
            publish(site.procedure)  # a change while it is down is logged all the same
            assert api.get(url).json()["content"]["summary"] == "Edited while the cache is down."
        warnings = [record for record in caplog.records if "Redis is unavailable" in record.getMessage()]
        assert len(warnings) == 1  # logged once, not on every call
    finally:
        cache_backend.failure.update(since=None, error=None, checked=0.0)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
