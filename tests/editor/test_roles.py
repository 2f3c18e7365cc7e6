"""What each role can and cannot do with a procedure page, through the admin.

Editor: creates, edits and submits for review; cannot publish or approve.
Medical reviewer: approves (which publishes) or requests changes.
Translator: translates into French, which a French reviewer approves; cannot touch the
English page.
"""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail_localize.models import TranslationSource

from pages.models import BenefitsPage, ProcedurePage
from tests.utils import procedure_page

from .forms import procedure_form

pytestmark = pytest.mark.django_db


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["pages", "procedurepage", parent.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def workflow_action_url(page, action):
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


@pytest.fixture
def submitted(clinic, editor, client):
    """A procedure page the editor created in the admin and submitted for review."""
    client.force_login(editor)
    response = client.post(add_url(clinic.index), procedure_form(**{"action-submit": "submit"}))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    client.logout()
    return ProcedurePage.objects.get(slug="microneedling")


def test_editor_creates_a_procedure_page_as_a_draft(clinic, editor, client):
    client.force_login(editor)
    response = client.post(add_url(clinic.index), procedure_form())

    assert response.status_code == 302
    page = ProcedurePage.objects.get(slug="microneedling")
    assert not page.live
    draft = page.get_latest_revision_as_object()
    assert (draft.session_minutes_min, draft.session_minutes_max) == (10, 20)
    assert draft.performed_by == ["dermatologist", "aesthetician"]


def test_editor_submits_for_medical_review(submitted, reviewer):
    assert submitted.workflow_in_progress
    assert not submitted.live
    assert submitted.current_workflow_task.name == "Medical review"


def test_editor_cannot_publish_a_new_page(clinic, editor, client):
    client.force_login(editor)
    client.post(add_url(clinic.index), procedure_form(**{"action-publish": "publish"}))

    page = ProcedurePage.objects.get(slug="microneedling")
    assert not page.live
    assert page.live_revision is None


def test_editor_cannot_publish_an_existing_page(clinic, editor, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    client.force_login(editor)
    response = client.post(edit_url(page), procedure_form(title="Microneedling today", **{"action-publish": "1"}))

    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision_as_object().title == "Microneedling today"  # saved as a draft only
    assert not page.permissions_for_user(editor).can_publish()


def test_editor_cannot_approve_their_own_submission(submitted, editor, client):
    client.force_login(editor)
    response = client.post(workflow_action_url(submitted, "approve"), {"comment": ""})

    assert response.status_code in (302, 403)  # Wagtail answers “permission denied” with a redirect
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_reviewer_approves_in_the_admin_which_publishes_with_their_name(submitted, reviewer, client):
    client.force_login(reviewer)
    response = client.post(workflow_action_url(submitted, "approve"), {"comment": "Checked against the sources."})

    assert response.status_code in (200, 302)
    submitted.refresh_from_db()
    assert submitted.live
    assert submitted.reviewed_by == "Dr Ana Ruiz, Dermatologist"
    assert submitted.last_reviewed_on is not None
    assert not submitted.workflow_in_progress


def test_reviewer_requests_changes_and_nothing_goes_live(submitted, reviewer, client):
    client.force_login(reviewer)
    client.post(workflow_action_url(submitted, "reject"), {"comment": "Healing time looks wrong."})

    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_reviewer_cannot_publish_outside_the_workflow(clinic, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    assert not page.permissions_for_user(reviewer).can_publish()


def test_even_a_superuser_cannot_skip_review_of_a_procedure_page(clinic, superuser, client):
    client.force_login(superuser)
    client.post(add_url(clinic.index), procedure_form(**{"action-publish": "publish"}))

    page = ProcedurePage.objects.get(slug="microneedling")
    assert not page.live
    assert not page.permissions_for_user(superuser).can_publish()
    assert page.permissions_for_user(superuser).can_submit_for_moderation()


def test_a_benefits_page_has_no_plain_publish_either(clinic, superuser, editor, reviewer):
    procedure = clinic.index.add_child(instance=procedure_page(live=False))
    benefits = procedure.add_child(
        instance=BenefitsPage(title="Benefits", slug="benefits", summary="What it helps with.", live=False)
    )
    for user in (superuser, editor, reviewer):
        assert not benefits.permissions_for_user(user).can_publish()
    assert benefits.permissions_for_user(editor).can_submit_for_moderation()


def translate_into_french(page, user):
    """Make the French copy the way wagtail-localize does when a translator submits a page."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = source.translations.model.objects.create(source=source, target_locale_id=user._french.pk)
    translation.save_target(user=user)
    return page.get_translation(user._french)


@pytest.fixture
def french_draft(clinic, translator):
    translator._french = clinic.french
    return lambda page: translate_into_french(page, translator)


def test_translator_cannot_publish_a_translation_without_its_markets_review(
    clinic, submitted, reviewer, translator, french_draft, client, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    client.post(workflow_action_url(submitted, "approve"), {"comment": ""})
    client.logout()
    french = french_draft(ProcedurePage.objects.get(pk=submitted.pk))

    assert not french.permissions_for_user(translator).can_publish()
    client.force_login(translator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(french), {"action": "publish"})
    assert response.status_code in (302, 403)
    french.refresh_from_db()
    assert not french.live


def test_translator_cannot_edit_or_publish_the_english_page(clinic, submitted, translator, client):
    client.force_login(translator)
    response = client.post(edit_url(submitted), procedure_form(title="Changed", **{"action-publish": "1"}))

    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.get_latest_revision_as_object().title == "Microneedling"
    assert not submitted.live
