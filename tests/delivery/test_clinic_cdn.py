"""One library publish invalidates exactly the answers of the pages that show it: the
library page's own and those of the clinic pages referencing it, each clinic's on its
own host, and nothing of a clinic that does not show it.

The demo: the library's microneedling is shown by Madrid (es, en) and London (en); its
safety checklist by Madrid only. Each clinic's Spanish copy shows the Spanish library page.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.utils import demo_page, publish_reviewed

from .conftest import clinic_key
from .test_cdn import Purges, RecordingCDN, RecordingTagCDN  # noqa: F401 - the backends' import path

HUB = "https://content.clinic.example"
HOSTS = {"madrid": "http://madrid.localhost", "london": "http://london.localhost"}
SITES = ("lumen", "madrid", "london")


@pytest.fixture
def cdn(settings, clinics):
    settings.WAGTAILFRONTENDCACHE = {
        "urls": {"BACKEND": "tests.delivery.test_cdn.RecordingCDN"},
        "tags": {"BACKEND": "tests.delivery.test_cdn.RecordingTagCDN"},
    }
    settings.PUBLIC_BASE_URL = HUB
    purges = Purges()
    purges.clear()
    return purges


def every_detail_url(client):
    """Every detail, versions and find URL of every page of every site, in each of its locales."""
    urls = []
    for site in SITES:
        codes = [locale["code"] for locale in client.get(f"/api/v1/locales/?site={site}").json()["results"]]
        rows = client.get(f"/api/v1/pages/?site={site}&locale=*&limit=100").json()["results"]
        for key in sorted({row["key"] for row in rows}):
            urls += [f"/api/v1/pages/{key}/?site={site}&locale={code}" for code in [*codes, "*"]]
            urls.append(f"/api/v1/pages/{key}/versions/?site={site}")
        urls += [f"/api/v1/pages/find/?{urlencode({'site': site, 'path': row['path']})}" for row in rows]
    return urls


def cache_states(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response["X-Cache"]
    return found


def answers_of(site, key, paths, locales):
    """The detail answers of page ``key`` of ``site`` in ``locales`` and *, its versions, its find paths."""
    return {
        *(f"/api/v1/pages/{key}/?site={site}&locale={code}" for code in [*locales, "*"]),
        f"/api/v1/pages/{key}/versions/?site={site}",
        *(f"/api/v1/pages/find/?{urlencode({'site': site, 'path': path})}" for path in paths),
    }


def test_one_library_publish_invalidates_exactly_the_answers_of_the_pages_showing_it(
    cdn, django_capture_on_commit_callbacks
):
    client = Client()
    urls = every_detail_url(client)
    assert set(cache_states(client, urls).values()) == {"miss"}
    # An empty cache names its first "latest change" at its first hit: an answer built
    # across that moment is served but not kept, so a second pass keeps the stragglers.
    cache_states(client, urls)
    warm = cache_states(client, urls)
    assert set(warm.values()) == {"hit"}, [url for url, state in warm.items() if state != "hit"]

    safety = demo_page("microneedling-safety", "en")
    safety.summary = "Check the skin before every session, and stop if it is broken."
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(safety)

    missed = {url for url, state in cache_states(client, urls).items() if state == "miss"}
    library = client.get(f"/api/v1/pages/{safety.translation_key}/versions/?site=lumen").json()["versions"]
    madrid_safety = clinic_key("clinic-madrid-safety")
    expected = (
        # The library page in every locale: new text in English, the other copies' translations now stale.
        answers_of("lumen", str(safety.translation_key), [copy["path"] for copy in library.values()], library)
        # Madrid's English safety page shows it; its Spanish copy shows the Spanish library page.
        | answers_of("madrid", madrid_safety, ["/en/microneedling/safety/"], ["en"])
    )
    assert missed == expected, (len(urls), sorted(missed ^ expected))
    assert len(missed) == 14 and len(urls) > 80  # nothing of London, nothing else of Madrid or the library
    shown = client.get(f"/api/v1/pages/{madrid_safety}/?site=madrid&locale=en").json()
    assert shown["content"]["summary"] == safety.summary

    # A tag CDN gets the change's tags, which the clinic answers carry; a URL CDN gets
    # the URLs, each clinic's on its own host and under the hub's with its site.
    assert cdn.tag_calls == cdn.change_tags()
    assert ["big", f"p:{safety.pk}", "rows"] in cdn.tag_calls
    english = client.get(f"/api/v1/pages/{madrid_safety}/?site=madrid&locale=en")
    spanish = client.get(f"/api/v1/pages/{madrid_safety}/?site=madrid&locale=es")
    assert f"p:{safety.pk}" in english["Cache-Tag"].split(",")
    assert f"p:{safety.pk}" not in spanish["Cache-Tag"].split(",")
    clinic = {url for url in cdn.urls if url.startswith(HOSTS["madrid"]) or "site=madrid" in url}
    expected_urls = set()
    for base, lead in ((HOSTS["madrid"], {}), (HUB, {"site": "madrid"})):
        expected_urls |= {
            f"{base}/api/v1/pages/{madrid_safety}/{query(**lead, **extra)}"
            for extra in ({"locale": "en"}, {"locale": "*"}, {})
        }
        expected_urls |= {
            f"{base}/api/v1/pages/find/{query(**lead, path='/en/microneedling/safety/', **extra)}"
            for extra in ({"locale": "en"}, {"locale": "*"}, {})
        }
        expected_urls |= {
            f"{base}/api/v1/pages/find/{query(**lead, path='/es/microneedling/seguridad/', locale=code)}"
            for code in ("en", "*")
        }
        # The publish came with a new approval: Madrid's approved listings may change.
        expected_urls |= {
            f"{base}/api/v1/pages/{query(**lead, require='approved', **extra)}"
            for extra in ({"locale": "es"}, {"locale": "en"}, {"locale": "*"}, {})
        }
    assert clinic == expected_urls, sorted(clinic ^ expected_urls)
    assert not any(url.startswith(HOSTS["london"]) or "site=london" in url for url in cdn.urls)
    # Under the hub's address without a site: the library's own answers only.
    assert not any(madrid_safety in url for url in cdn.urls if url.startswith(HUB) and "site=" not in url)


def query(**params):
    return "?" + urlencode(params, safe="*") if params else ""
