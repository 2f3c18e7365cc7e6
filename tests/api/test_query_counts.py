"""SQL budgets: a read costs a fixed number of queries, whatever the page holds."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.api import paths, sites
from cms.api.site_index import SiteIndex, site_index
from tests.utils import device

from .conftest import build_site, checklist_items, publish


@pytest.fixture
def site(db):
    return build_site(with_image=True)


def cold():
    """Empty the response cache. Wagtail's site root paths and the API's site index are
    there already, as in a running server (see test_site_index_...)."""
    cache.clear()
    Site.get_site_root_paths()
    paths.api_base_url()  # the default Site's URL, read once per set of sites
    site_index()
    sites.default_scope()  # the clinics' scopes, read once per index


def grow(site):
    """Ten times the blocks, items and devices."""
    site.checklist.items = checklist_items(30)
    publish(site.checklist)
    site.comparison.devices = [("device", {"device": device(f"Extra {n}"), "remark": ""}) for n in range(20)]
    publish(site.comparison)
    site.procedure.steps = [("step", {"title": f"Step {n}", "description": ""}) for n in range(25)]
    links = "".join(f'<a linktype="page" id="{page.pk}">link</a>' for page in (site.checklist, site.comparison))
    site.procedure.what_it_is = f"<p>{links}</p>"
    publish(site.procedure)


@pytest.fixture
def committed_site(transactional_db):
    """The site committed, as a running server sees it: values a read derives from the
    database (translation status, renditions) are kept per process only outside a
    transaction (``site_index.remembered``)."""
    return build_site(with_image=True)


# The page's own fields with its locale and hero image; the comparison also reads its
# devices. Translations, parent, children and link targets come from the site index;
# the medical approval, the translation status and the renditions are read on a
# process's first read of the page and kept until they change (tested across processes
# in test_cross_process.py).
DETAIL_QUERIES = {"procedure": 1, "checklist": 1, "comparison": 2}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("name", sorted(DETAIL_QUERIES))
def test_detail_costs_the_same_whatever_the_page_holds(committed_site, api, django_assert_num_queries, name):
    site = committed_site
    url = f"/api/v1/pages/{getattr(site, name).translation_key}/"
    assert api.get(url).status_code == 200  # a process's first read: renditions made, status read
    cold()
    with django_assert_num_queries(DETAIL_QUERIES[name]):
        small = api.get(url).json()
    grow(site)
    assert api.get(url).status_code == 200
    cold()
    with django_assert_num_queries(DETAIL_QUERIES[name]):
        large = api.get(url).json()
    assert large != small
    if name == "comparison":
        assert len(large["content"]["comparison"]["devices"]) == 20
        assert all(len(row["values"]) == 20 for row in large["content"]["comparison"]["rows"])


def test_a_first_read_in_a_transaction_keeps_nothing_derived(site, api, django_assert_num_queries):
    """Inside a transaction (which might roll back) what a read derives is read every
    time: the page's fields, its medical approval, its translation status, the image's
    renditions."""
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    assert api.get(url).status_code == 200  # makes the renditions
    for _ in range(2):
        cold()
        with django_assert_num_queries(4):
            assert api.get(url).status_code == 200


@pytest.mark.parametrize("query", ["", "?locale=fr", "?locale=*", "?type=pages.ProcedurePage&order=-title"])
def test_listing_costs_no_query_whatever_the_limit(site, api, django_assert_num_queries, query):
    """Listings are answered from the site index (see test_site_index_costs...)."""
    separator = "&" if query else "?"
    for limit in (1, 100):
        cold()
        with django_assert_num_queries(0):
            response = api.get(f"/api/v1/pages/{query}{separator}limit={limit}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(limit, response.json()["count"])


def test_a_cached_read_does_not_touch_the_database(site, api, django_assert_num_queries):
    url = f"/api/v1/pages/{site.comparison.translation_key}/?locale=fr"
    first = api.get(url)
    with django_assert_num_queries(0):
        again = api.get(url)
    assert again.content == first.content


def test_search_costs_one_query(site, api, django_assert_num_queries):
    url = "/api/v1/pages/?search=Microneedling&locale=*"
    api.get(url)  # Django caches the content types the search backend asks for, once per process
    cold()
    with django_assert_num_queries(1):  # Wagtail's search backend: the matching pages, ranked
        response = api.get(url)
    assert {page["id"] for page in response.json()["results"]} >= {site.procedure.pk, site.procedure_fr.pk}


def test_site_index_is_built_in_four_queries_whatever_the_site_size(site, django_assert_num_queries):
    """Built when a process first serves: hidden subtrees (none here), the public pages,
    live pages waiting for their go-live, the times of the tags that have one."""
    for _ in range(2):
        Site.get_site_root_paths()
        with django_assert_num_queries(4):
            index = SiteIndex.build()
        assert site.procedure_fr.pk in index.by_id
        grow(site)


@pytest.mark.parametrize("change", ["content", "retitle"])
def test_a_change_is_applied_in_one_query_whatever_the_site_size(site, monkeypatch, change):
    """After a publish the index reads only the changed page again: one query."""
    index = site_index()
    applied = []
    refresh = SiteIndex.refresh

    def counted_refresh(self, page_ids, now=None):
        with CaptureQueriesContext(connection) as queries:
            refresh(self, page_ids, now)
        applied.append((set(page_ids), len(queries.captured_queries)))

    monkeypatch.setattr(SiteIndex, "refresh", counted_refresh)
    page = site.checklist
    if change == "retitle":
        page.title = "Checklist, retitled"
    publish(page)
    assert applied == [({page.pk}, 1)]
    assert index.by_id[page.pk].title == page.title
    assert site_index() is index  # applied in place, not built again
