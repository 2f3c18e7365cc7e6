"""An approval is bound to the hash of what it covered: an edit, a shown device's edit or a
linked page's new title voids it; the approved revision stays live, flagged for re-review."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cms.review.approvals import approve
from cms.review.gate import ReviewRequired
from cms.review.hashing import approved_content, content_hash
from cms.review.models import AuditEvent, AuditRecord, MedicalApproval
from pages.models import DeviceComparisonPage, SafetyChecklistPage
from tests.utils import device

from .conftest import fresh, publish_approved

pytestmark = pytest.mark.django_db


def review_of(page, **params):
    response = APIClient().get(f"/api/v1/pages/{page.translation_key}/", {"locale": "en", **params})
    assert response.status_code == 200, response.content
    return response.json()["meta"]["medical_review"]


@pytest.fixture
def comparison(procedure, reviewer):
    pen = device("Clinic pen")
    page = procedure.add_child(
        instance=DeviceComparisonPage(
            title="Devices",
            slug="devices",
            summary="Pens side by side.",
            devices=[("device", {"device": pen, "remark": ""})],
            live=False,
        )
    )
    page = publish_approved(page, reviewer)
    page.pen = pen
    return page


@pytest.fixture
def checklist(procedure, reviewer):
    item = {"text": "Check the practitioner", "phase": "before", "importance": "required", "rationale": "Safety."}
    page = procedure.add_child(
        instance=SafetyChecklistPage(
            title="Safety", slug="safety", summary="Checks.", items=[("item", item)], live=False
        )
    )
    return publish_approved(page, reviewer)


def test_the_hash_covers_the_served_content_and_what_it_shows_from_elsewhere(comparison):
    content = approved_content(comparison)
    assert content["title"] == "Devices"
    assert content["parent"]["title"] == "Microneedling"
    assert content["content"]["comparison"]["devices"][0]["name"] == "Clinic pen"
    approval = MedicalApproval.objects.get(page=comparison)
    assert approval.content_hash == content_hash(fresh(comparison)) == content_hash(fresh(comparison))
    assert review_of(comparison)["content_hash"] == approval.content_hash


def test_an_edit_after_approval_voids_it_and_the_approved_revision_stays_live(procedure):
    live_revision = procedure.live_revision_id
    assert review_of(procedure)["status"] == "approved"
    draft = fresh(procedure)
    draft.summary = "Now with a different claim."
    revision = draft.save_revision()

    approval = MedicalApproval.objects.get(page=procedure)
    assert approval.void_reason == MedicalApproval.Void.EDITED
    assert fresh(procedure).live_revision_id == live_revision
    assert fresh(procedure).summary != "Now with a different claim."
    assert review_of(procedure)["status"] == "needs_re_review"
    # The live content is still the approved one; the edit cannot go live without review.
    assert review_of(procedure, require="approved")["content_hash"] == approval.content_hash
    with pytest.raises(ReviewRequired):
        revision.publish()
    assert AuditRecord.objects.filter(page_id=procedure.pk, event=AuditEvent.VOIDED).get().details["reason"] == (
        "edited"
    )


def test_a_device_edit_voids_the_comparison_and_cached_answers_follow(comparison, procedure):
    url = f"/api/v1/pages/{comparison.translation_key}/"
    client = APIClient()
    assert client.get(url).json()["meta"]["medical_review"]["status"] == "approved"
    assert client.get(url).headers["X-Cache"] == "hit"

    comparison.pen.needle_length_max = "3.0"
    comparison.pen.save()

    approval = MedicalApproval.objects.get(page=comparison)
    assert approval.void_reason == MedicalApproval.Void.DEVICE
    served = client.get(url)
    assert served.headers["X-Cache"] == "miss"
    assert served.json()["meta"]["medical_review"]["status"] == "needs_re_review"
    assert client.get(url, {"require": "approved", "fallback": "false"}).status_code == 404
    # The procedure does not show the device: its approval stands.
    assert not MedicalApproval.objects.get(page=procedure).void_reason


def test_a_new_title_of_the_parent_voids_the_pages_that_show_it(procedure, checklist, reviewer, editor):
    retitled = fresh(procedure)
    retitled.title = "Microneedling (collagen induction)"
    retitled.save_revision(user=editor)
    publish_approved(fresh(procedure), reviewer)

    assert MedicalApproval.objects.get(page=checklist).void_reason == MedicalApproval.Void.LINKED_PAGE
    assert review_of(checklist)["status"] == "needs_re_review"
    assert AuditRecord.objects.filter(page_id=checklist.pk, event=AuditEvent.VOIDED).exists()


def test_a_new_title_of_a_linked_page_voids_the_page_linking_to_it(clinic, procedure, checklist, reviewer):
    linking = fresh(procedure)
    linking.how_it_works = f'<p>See <a linktype="page" id="{checklist.pk}">the checks</a>.</p>'
    linking.save_revision()
    procedure = publish_approved(fresh(procedure), reviewer)
    assert approved_content(procedure)["links"] == [{"key": str(checklist.translation_key), "title": "Safety"}]

    renamed = fresh(checklist)
    renamed.title = "Safety first"
    renamed.save_revision()
    publish_approved(fresh(checklist), reviewer)

    current = MedicalApproval.objects.filter(page=procedure).first()
    assert current.void_reason == MedicalApproval.Void.LINKED_PAGE


def test_the_editor_sees_needs_re_review_in_the_admin(procedure, editor, client):
    draft = fresh(procedure)
    draft.summary = "Edited."
    draft.save_revision()
    client.force_login(editor)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[procedure.pk])).content.decode()
    assert "Needs re-review" in page
    trail = client.get(reverse("review_audit_trail", args=[procedure.pk])).content.decode()
    assert 'data-review-status="needs_re_review"' in trail


def test_re_approving_after_a_void_makes_it_approved_again(comparison, reviewer):
    comparison.pen.name = "Clinic pen 2"
    comparison.pen.save()
    assert review_of(comparison)["status"] == "needs_re_review"

    _approval, revision = approve(fresh(comparison), reviewer)
    revision.publish()

    review = review_of(comparison)
    assert review["status"] == "approved"
    assert review["content_hash"] == content_hash(fresh(comparison))
