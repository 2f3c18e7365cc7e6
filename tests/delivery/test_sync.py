"""/api/v1/sync/: a paged full sync, then upserts and tombstones since a cursor, per locale."""

import json
import re

import pytest

from cms.api.models import ApiKey
from cms.api.representation import render_page
from cms.delivery import feed

from .conftest import add_page, publish, translate

pytestmark = pytest.mark.django_db

URL = "/api/v1/sync/"


@pytest.fixture
def site(treatments, locales):
    microneedling = add_page(treatments, "Microneedling", "microneedling")
    french = translate(treatments, locales["fr"])
    return {
        "home": treatments.get_parent().specific,
        "treatments": treatments,
        "microneedling": microneedling,
        "french": french,
    }


def sync(client, headers, **params):
    response = client.get(URL, params, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def drain(client, headers, locale, cursor=None, limit=50):
    """Follow the feed until has_more is false: (answers, last cursor)."""
    answers = []
    while True:
        params = {"locale": locale, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        answer = sync(client, headers, **params)
        answers.append(answer)
        cursor = answer["cursor"]
        if not answer["has_more"]:
            return answers, cursor


def keys(pages):
    return sorted(page["key"] for page in pages)


def test_a_full_sync_pages_through_every_page_the_locale_serves(client, export_key, site):
    answers, _cursor = drain(client, export_key, "de", limit=2)

    assert [len(answer["upserts"]) for answer in answers] == [2, 1]
    assert all(answer["full_sync"] for answer in answers)
    assert answers[0]["next"].startswith("http://testserver/api/v1/sync/?")
    upserts = [page for answer in answers for page in answer["upserts"]]
    assert keys(upserts) == sorted(str(site[name].translation_key) for name in ("home", "treatments", "microneedling"))
    german = next(page for page in upserts if page["key"] == str(site["microneedling"].translation_key))
    assert german == json.loads(render_page(site["microneedling"], requested_locale="de"))
    # The feed carries the detail endpoint's bytes as they are, not a re-encoding.
    detail = client.get(f"/api/v1/pages/{german['key']}/", {"locale": "de"})
    assert detail.content in client.get(URL, {"locale": "de"}, **export_key).content
    assert german["fallback"] is True


def test_after_a_full_sync_only_changes_come_and_fallback_locales_hear_english_changes(client, export_key, site):
    _answers, german_cursor = drain(client, export_key, "de")
    _answers, french_cursor = drain(client, export_key, "fr")
    empty = sync(client, export_key, locale="de", cursor=german_cursor)
    assert (empty["upserts"], empty["tombstones"], empty["cursor"]) == ([], [], german_cursor)

    microneedling = site["microneedling"]
    microneedling.title = "Microneedling (collagen induction)"
    publish(microneedling)

    german = sync(client, export_key, locale="de", cursor=german_cursor)
    assert [page["title"] for page in german["upserts"]] == ["Microneedling (collagen induction)"]
    assert german["full_sync"] is False
    french = sync(client, export_key, locale="fr", cursor=french_cursor)
    assert [(page["key"], page["locale"]) for page in french["upserts"]] == [(str(microneedling.translation_key), "en")]


def test_unpublishing_a_translation_makes_the_locale_fall_back_not_disappear(client, export_key, site):
    _answers, cursor = drain(client, export_key, "fr")

    site["french"].unpublish()

    answer = sync(client, export_key, locale="fr", cursor=cursor)
    assert [(page["key"], page["locale"], page["fallback"]) for page in answer["upserts"]] == [
        (str(site["treatments"].translation_key), "en", True)
    ]
    assert answer["tombstones"] == []


def test_pages_that_disappear_become_tombstones(client, export_key, site):
    _answers, cursor = drain(client, export_key, "de")
    microneedling_key = str(site["microneedling"].translation_key)

    site["microneedling"].delete()

    answer = sync(client, export_key, locale="de", cursor=cursor)
    assert answer["tombstones"] == [{"key": microneedling_key}]
    assert answer["upserts"] == []


def test_unpublishing_a_section_tombstones_the_pages_below_it(client, export_key, site):
    _answers, cursor = drain(client, export_key, "de")

    site["treatments"].unpublish()

    answer = sync(client, export_key, locale="de", cursor=cursor)
    assert sorted(tomb["key"] for tomb in answer["tombstones"]) == sorted(
        [str(site["treatments"].translation_key), str(site["microneedling"].translation_key)]
    )


def test_changes_are_paged_and_none_is_lost(client, export_key, site, treatments):
    _answers, cursor = drain(client, export_key, "en")
    added = [add_page(treatments, f"Peel {number}", f"peel-{number}") for number in range(5)]

    answers, _cursor = drain(client, export_key, "en", cursor=cursor, limit=2)

    assert [answer["has_more"] for answer in answers] == [True, True, False]
    assert keys(page for answer in answers for page in answer["upserts"]) == sorted(
        str(page.translation_key) for page in added
    )


def test_a_change_made_during_a_full_sync_is_sent_again_after_it(client, export_key, site):
    """Whatever page of the full sync it fell on, the change comes back as a change."""
    first = sync(client, export_key, locale="en", limit=1)
    site["microneedling"].title = "Microneedling, revised"
    publish(site["microneedling"])
    full, cursor = drain(client, export_key, "en", cursor=first["cursor"], limit=1)
    assert all(answer["full_sync"] for answer in full)

    after = sync(client, export_key, locale="en", cursor=cursor)

    assert after["full_sync"] is False
    assert [page["title"] for page in after["upserts"]] == ["Microneedling, revised"]


# --- Bad input and access -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "name", "reason"),
    [
        ({"locale": "xx"}, "locale", "'xx' is not a locale this API serves."),
        ({}, "locale", "Name the locale to sync; each locale has its own feed."),
        ({"locale": "en", "cursor": "garbage"}, "cursor", "'garbage' is not a cursor this feed handed out"),
        ({"locale": "en", "cursor": "full.1-2.not-a-key"}, "cursor", "is not a cursor this feed handed out"),
        ({"locale": "en", "limit": "0"}, "limit", "'0' is not a whole number from 1 to 200."),
        ({"locale": "en", "limit": "lots"}, "limit", "'lots' is not a whole number from 1 to 200."),
        ({"locale": "en", "limit": "5000"}, "limit", "'5000' is not a whole number from 1 to 200."),
    ],
)
def test_bad_parameters_get_a_problem_naming_them(client, export_key, site, params, name, reason):
    response = client.get(URL, params, **export_key)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["invalid_params"][0]["name"] == name
    assert reason in problem["invalid_params"][0]["reason"]


def test_an_unknown_locale_lists_the_served_ones(client, export_key, site):
    problem = json.loads(client.get(URL, {"locale": "klingon"}, **export_key).content)
    assert problem["invalid_params"][0]["allowed"] == ["en", "fr", "de", "es"]


def test_the_feed_needs_a_key_with_the_export_scope(client, site):
    _key, preview_only = ApiKey.objects.create_key(name="Preview", scopes=["preview"])
    revoked, revoked_raw = ApiKey.objects.create_key(name="Old app", scopes=["export"])
    revoked.revoke()

    anonymous = client.get(URL, {"locale": "en"})
    wrong_scope = client.get(URL, {"locale": "en"}, HTTP_AUTHORIZATION=f"Api-Key {preview_only}")
    revoked_key = client.get(URL, {"locale": "en"}, HTTP_AUTHORIZATION=f"Api-Key {revoked_raw}")

    assert (anonymous.status_code, wrong_scope.status_code, revoked_key.status_code) == (401, 403, 401)
    assert "export" in json.loads(wrong_scope.content)["detail"]


def test_a_password_on_a_section_tombstones_it_for_apps(client, export_key, site):
    from wagtail.models import PageViewRestriction

    _answers, cursor = drain(client, export_key, "es")

    PageViewRestriction.objects.create(
        page=site["treatments"], restriction_type=PageViewRestriction.PASSWORD, password="staff"
    )

    answer = sync(client, export_key, locale="es", cursor=cursor)
    assert sorted(tomb["key"] for tomb in answer["tombstones"]) == sorted(
        [str(site["treatments"].translation_key), str(site["microneedling"].translation_key)]
    )


def test_every_cursor_the_feed_hands_out_matches_the_schemas_pattern(client, export_key, site):
    """The schema's cursor pattern is the server's own: what it hands out fits it, and a
    cursor that fits it is read, not refused."""
    pattern = re.compile(feed.CURSOR_PATTERN)
    answers, last = drain(client, export_key, "de", limit=1)
    cursors = [answer["cursor"] for answer in answers]
    assert any(cursor.startswith("full.") for cursor in cursors) and not last.startswith("full.")
    assert all(pattern.fullmatch(cursor) for cursor in cursors)
    assert sync(client, export_key, locale="de", cursor="999-999")["full_sync"] is False


@pytest.mark.parametrize("cursor", ["full.1-1." + "-" * 36, "full.1-1.ABCDEF00-0000-0000-0000-000000000000", "1-"])
def test_a_cursor_outside_the_pattern_is_a_clear_400(client, export_key, site, cursor):
    response = client.get(URL, {"locale": "de", "cursor": cursor}, **export_key)
    assert response.status_code == 400
    assert json.loads(response.content)["invalid_params"] == [
        {"name": "cursor", "reason": f"{cursor!r} is not a cursor this feed handed out; start again without one."}
    ]
    assert not re.fullmatch(feed.CURSOR_PATTERN, cursor)
