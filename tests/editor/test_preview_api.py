"""``/api/v1/preview/<token>/``: a front-end with a preview-scoped key reads a draft."""

import datetime
import json
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.api.models import ApiKey, Scope
from cms.review.signing import make_preview_token
from tests.editor.conftest import publish_approved
from tests.utils import procedure_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def preview_key(db):
    _api_key, raw_key = ApiKey.objects.create_key(name="Clinic website preview", scopes=[Scope.PREVIEW])
    return raw_key


@pytest.fixture
def draft(clinic, reviewer):
    """A live procedure page with a newer, unpublished draft."""
    page = publish_approved(clinic.index.add_child(instance=procedure_page(live=False)), reviewer)
    page.title = "Microneedling (draft)"
    page.session_minutes_max = 25
    page.save_revision()
    return page


def get(client, token, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.get(reverse("api:preview", args=[token]), **headers)


def test_a_preview_key_reads_the_draft_as_the_api_shapes_it(client, draft, preview_key):
    response = get(client, make_preview_token(draft, lifetime_hours=1), preview_key)

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["title"] == "Microneedling (draft)"
    assert data["content"]["session_minutes"] == {"min": 10, "max": 25, "unit": "min"}
    assert data["meta"]["version"] == "draft"
    assert data["meta"]["revision"] == 2  # published once; the draft would be the second version
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Language"] == "en"


def test_without_a_key_the_link_shows_nothing(client, draft):
    response = get(client, make_preview_token(draft, lifetime_hours=1))
    assert response.status_code == 401
    assert "Microneedling" not in response.content.decode()


def test_a_key_without_the_preview_scope_is_refused(client, draft):
    _api_key, raw_key = ApiKey.objects.create_key(name="Exports", scopes=[Scope.EXPORT])
    response = get(client, make_preview_token(draft, lifetime_hours=1), raw_key)
    assert response.status_code == 403
    assert "Microneedling" not in response.content.decode()


def test_a_revoked_key_is_refused(client, draft, preview_key):
    ApiKey.objects.get().revoke()
    assert get(client, make_preview_token(draft, lifetime_hours=1), preview_key).status_code == 401


def test_an_expired_link_is_gone(client, draft, preview_key):
    token = make_preview_token(draft, lifetime_hours=1)
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = get(client, token, preview_key)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


@pytest.mark.parametrize("token", ["garbage", "eyJwYWdlIjoxfQ:1vN1Zq:forged", "a" * 300])
def test_a_garbled_link_is_not_found_and_changes_nothing(client, draft, preview_key, token):
    revisions = draft.revisions.count()
    response = get(client, token, preview_key)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert draft.revisions.count() == revisions


def test_the_live_api_is_unchanged_by_previews(client, draft, preview_key):
    """The draft reached through a preview link never becomes the live page."""
    get(client, make_preview_token(draft, lifetime_hours=1), preview_key)
    draft.refresh_from_db()
    assert draft.title == "Microneedling"
    assert draft.has_unpublished_changes
