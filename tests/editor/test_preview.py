"""Wagtail's preview draws the API's JSON for the draft, in the page's own language."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse

from cms.api import representation
from tests.utils import PAGE_TYPE_NAMES, procedure_page

from .forms import procedure_form

pytestmark = pytest.mark.django_db


def preview(client, page, form):
    """Send the edit form to the preview, as the admin's preview panel does, and render it."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(url, form).json()["is_valid"]
    return client.get(url)


def test_preview_shows_the_unsaved_draft_with_its_facts(clinic, editor, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    client.force_login(editor)

    response = preview(client, page, procedure_form(title="Microneedling, reviewed", session_minutes_max="25"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Microneedling, reviewed</h1>" in html
    assert 'data-fact="session_minutes">10–25 minutes<' in html
    assert "Dermatologist, Aesthetician" in html
    assert "Preview of a draft" in html
    page.refresh_from_db()
    assert page.title == "Microneedling"  # previewing saves nothing


def test_preview_of_a_french_page_is_in_french_for_an_english_admin(clinic, editor, superuser, client):
    french = clinic.fr_index.add_child(instance=procedure_page(live=False, slug="microneedling-fr"))
    client.force_login(superuser)  # admin language: English

    response = preview(client, french, procedure_form(title="Le microneedling", slug="microneedling-fr"))

    html = response.content.decode()
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in html
    assert "Durée de la séance" in html
    assert "Dermatologue" in html
    assert "Session length" not in html


def test_preview_renders_only_what_the_api_representation_returns(clinic, editor, client):
    """One source of output: whatever the API's representation says is what the preview shows."""
    page = clinic.index.add_child(instance=procedure_page(live=False))
    real = representation.page_representation
    seen = {}

    def spy(draft, **kwargs):
        data = real(draft, **kwargs)
        seen.update(kwargs)
        data["title"] = "Title as the API serves it"
        data["content"]["session_minutes"] = {"min": 7, "max": 9, "unit": "min"}
        return data

    client.force_login(editor)
    with mock.patch.object(representation, "page_representation", spy):
        html = preview(client, page, procedure_form()).content.decode()

    assert seen == {"requested_locale": "en", "request": mock.ANY, "version": "draft"}
    assert "<h1>Title as the API serves it</h1>" in html
    assert "7–9 minutes" in html
    assert "10–20 minutes" not in html


def test_preview_shows_the_medical_review_from_the_api_meta(clinic, superuser, client):
    page = clinic.index.add_child(
        instance=procedure_page(live=False, reviewed_by="Ana Ruiz", last_reviewed_on=datetime.date(2026, 11, 2))
    )
    client.force_login(superuser)
    html = preview(client, page, procedure_form()).content.decode()
    assert "Medically reviewed by Ana Ruiz on Nov. 2, 2026." in html


def test_every_demo_page_previews_in_its_own_language(demo):
    """Each page type's preview template draws its part of the API's JSON (one demo load)."""
    from wagtail.models import Page

    pages = Page.objects.filter(depth__gt=1).specific()
    assert {type(page).__name__ for page in pages} >= PAGE_TYPE_NAMES
    for page in pages:
        response = page.get_latest_revision_as_object().make_preview_request()
        html = response.content.decode()
        assert response.status_code == 200, (page, html[:500])
        assert f'<html lang="{page.locale.language_code}">' in html
        assert f"<h1>{page.title}</h1>" in html.replace("&#x27;", "'")
        if type(page).__name__ == "DeviceComparisonPage" and page.locale.language_code == "fr":
            assert re.search(r"\d,\d+–\d+(,\d+)? mm", html), "French decimals take a comma"
