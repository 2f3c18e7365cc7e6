"""The response cache serves repeats and forgets them when published content changes,
on the local-memory cache and on Redis."""

import os
import re
from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.test import override_settings
from wagtail.models import PageViewRestriction

from .conftest import build_site, publish, translate

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cms-api-tests",
    }
}


CHANGES = {
    "publish": lambda site: publish_title(site),
    "unpublish": lambda site: site.checklist.unpublish(),
    "move": lambda site: site.checklist.move(site.home, pos="last-child"),
    "delete": lambda site: site.checklist.delete(),
    "translation publish": lambda site: translate(site.comparison),
    "view restriction": lambda site: PageViewRestriction.objects.create(page=site.checklist, restriction_type="login"),
}


def without_x_cache(response):
    """The headers, less the two that differ per read by design: X-Cache and X-Request-ID."""
    return {name: value for name, value in response.headers.items() if name not in ("X-Cache", "X-Request-ID")}


def publish_title(site):
    site.checklist.title = "Retitled"
    publish(site.checklist)


def procedure_view(api, site):
    """What the procedure's JSON says about its checklist child, in English and French."""
    en = api.get(f"/api/v1/pages/{site.procedure.translation_key}/").json()
    fr = api.get(f"/api/v1/pages/{site.procedure.translation_key}/?locale=fr").json()
    return en["children"], fr["children"], api.get("/api/v1/pages/?limit=100").json()["results"]


def run_invalidation(change, api):
    site = build_site()
    before = procedure_view(api, site)
    assert procedure_view(api, site) == before  # served again, from the cache
    CHANGES[change](site)
    after = procedure_view(api, site)
    assert after != before


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_changes_invalidate_cached_responses(db, api, change):
    run_invalidation(change, api)


@pytest.mark.redis
@pytest.mark.parametrize("change", ["publish", "unpublish", "delete"])
def test_changes_invalidate_cached_responses_on_redis(db, api, change):
    with override_settings(CACHES=REDIS_CACHES):
        caches["default"].clear()
        try:
            run_invalidation(change, api)
            assert any(key for key in caches["default"]._cache.get_client().keys("cms-api-tests:*"))
        finally:
            caches["default"].clear()


def test_responses_come_from_the_cache(db, api, django_assert_num_queries):
    site = build_site(with_french=False)
    url = f"/api/v1/pages/?child_of={site.procedure.translation_key}"
    first = api.get(url)
    with django_assert_num_queries(0):
        assert api.get(url).content == first.content


@override_settings(CORS_ALLOWED_ORIGINS=["https://clinic.example"])
@pytest.mark.parametrize(
    "suffix, accept_language",
    [("", ""), ("?locale=fr", ""), ("?locale=*", ""), ("", "fr-FR,fr;q=0.9"), ("?locale=en", "fr")],
)
def test_a_cached_read_answers_exactly_as_the_first(db, api, suffix, accept_language):
    """The repeat comes from CachedReadMiddleware, above most of the stack: same status,
    body and headers as the read that filled the cache, and it really came from the cache."""
    site = build_site()
    url = f"/api/v1/pages/{site.procedure.translation_key}/{suffix}"
    headers = {"HTTP_ORIGIN": "https://clinic.example", "HTTP_ACCEPT_LANGUAGE": accept_language}
    first = api.get(url, **headers)
    with patch("cms.api.views.PageDetailView.get", side_effect=AssertionError("the view ran")):
        again = api.get(url, **headers)
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert without_x_cache(again) == without_x_cache(first)
    assert first["Content-Length"] == str(len(first.content))
    assert first["Access-Control-Allow-Origin"] == "https://clinic.example"
    if accept_language.startswith("fr") and not suffix:
        assert first["Content-Language"] == "fr"


def test_a_cached_read_still_answers_conditional_requests(db, api):
    site = build_site(with_french=False)
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    etag = api.get(url)["ETag"]
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("condition", ["HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH"])
def test_conditional_answers_from_the_cache_match_the_views(db, api, method, condition):
    """304 and 412 carry the same headers whether the view or the cache answers them."""
    site = build_site(with_french=False)
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    first = api.get(url)
    value = {
        "HTTP_IF_NONE_MATCH": first["ETag"],
        "HTTP_IF_MODIFIED_SINCE": first["Last-Modified"],
        "HTTP_IF_MATCH": '"not-this-one"',
    }[condition]
    caches["default"].clear()
    from_view = getattr(api, method)(url, **{condition: value})
    with patch("cms.api.views.PageDetailView.get", side_effect=AssertionError("the view ran")):
        from_cache = getattr(api, method)(url, **{condition: value})
    assert from_view.status_code == from_cache.status_code == (412 if condition == "HTTP_IF_MATCH" else 304)
    assert without_x_cache(from_cache) == without_x_cache(from_view)
    assert from_cache.content == from_view.content
    if condition == "HTTP_IF_MATCH":
        assert from_cache["Content-Type"] == "application/problem+json"
    else:
        assert from_cache.content == b""


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_cached_read_still_checks_the_host(db, api):
    site = build_site(with_french=False)
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    assert api.get(url).status_code == 200
    assert api.get(url).status_code == 200  # from the cache
    refused = api.get(url, HTTP_HOST="evil.example")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert "Host" in refused.json()["detail"]


@override_settings(DISALLOWED_USER_AGENTS=[re.compile(r"BadBot")])
def test_a_cached_read_still_refuses_disallowed_user_agents(db, api):
    site = build_site(with_french=False)
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    assert api.get(url).status_code == 200
    refused = api.get(url, HTTP_USER_AGENT="BadBot/1.0")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
