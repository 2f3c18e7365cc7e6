"""The delivery API's ?require=complete: an app can refuse a stale safety checklist."""

import pytest
from django.contrib.auth import get_user_model

from cms.review.approvals import approve
from pages.models import SafetyChecklistPage

pytestmark = pytest.mark.django_db

CHECKLISTS = {"locale": "fr", "type": "pages.SafetyChecklistPage"}


def test_stale_checklist_falls_back_to_english_when_complete_is_required(demo, client):
    checklist = SafetyChecklistPage.objects.get(locale__language_code="en")
    checklist.summary = "Check these points before, during and after every session."
    checklist.save_revision()
    # The demo's UK reviewer approves it; publishing refreshes the translation source: French is stale.
    _approval, revision = approve(checklist, get_user_model().objects.get(username="reviewer"))
    revision.publish()

    (french,) = client.get("/api/v1/pages/", CHECKLISTS).json()["results"]
    assert french["locale"] == "fr"

    (required,) = client.get("/api/v1/pages/", {**CHECKLISTS, "require": "complete"}).json()["results"]
    assert required["locale"] == "en"
    assert required["fallback"] is True


def test_complete_translations_are_served_when_complete_is_required(demo, client):
    body = client.get("/api/v1/pages/", {"locale": "fr", "require": "complete"}).json()
    assert body["count"] == 6
    assert {page["locale"] for page in body["results"]} == {"fr"}


def test_unknown_require_value_is_a_400_listing_the_allowed_ones(demo, client):
    response = client.get("/api/v1/pages/", {"locale": "fr", "require": "everything"})
    assert response.status_code == 400
    assert response.json()["invalid_params"] == [
        {"name": "require", "reason": "use one of complete, approved.", "allowed": ["complete", "approved"]}
    ]
