"""The medical review workflow: set up once, records approvals per market, publishes what was approved."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from cms.api.representation import page_representation
from cms.review.approvals import ApprovalRefused
from cms.review.hashing import content_hash
from cms.review.models import MedicalApproval, MedicalReviewTask, ReviewerProfile
from cms.review.workflow import MEDICAL_REVIEWERS, ensure_review_workflow
from pages.models import BenefitsPage, HomePage, ProcedurePage
from tests.utils import procedure_page

pytestmark = pytest.mark.django_db


def submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def act(workflow_state, user, action, comment=""):
    task_state = workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, user, action, comment=comment)
    return task_state


def test_ensure_review_workflow_is_idempotent_and_covers_every_locale(clinic):
    again = ensure_review_workflow()

    assert again == clinic.workflow
    assert Workflow.objects.filter(name="Medical review").count() == 1
    assert MedicalReviewTask.objects.count() == 1
    task = MedicalReviewTask.objects.get()
    assert list(task.groups.values_list("name", flat=True)) == [MEDICAL_REVIEWERS]
    assert WorkflowTask.objects.filter(workflow=again).count() == 1
    assert set(WorkflowPage.objects.filter(workflow=again).values_list("page_id", flat=True)) == {
        clinic.home.pk,
        clinic.fr_home.pk,
    }
    assert Group.objects.filter(name=MEDICAL_REVIEWERS).count() == 1


def test_ensure_review_workflow_reactivates_a_deactivated_workflow(clinic):
    clinic.workflow.deactivate()
    assert not WorkflowPage.objects.filter(workflow=clinic.workflow).exists()

    ensure_review_workflow()

    clinic.workflow.refresh_from_db()
    assert clinic.workflow.active
    assert WorkflowPage.objects.filter(page=clinic.home, workflow=clinic.workflow).exists()


def test_a_home_page_made_later_joins_the_workflow(clinic):
    spanish_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Clínica", slug="clinica-es", locale=clinic.english)
    )
    assert spanish_home.get_workflow() == clinic.workflow


def test_pages_in_every_locale_are_under_medical_review(clinic):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    french = clinic.fr_index.add_child(instance=procedure_page(live=False, slug="microneedling-fr"))
    assert page.get_workflow() == clinic.workflow
    assert french.get_workflow() == clinic.workflow


def test_approval_stamps_the_reviewer_and_date_and_publishes(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False, reviewed_by="Someone else"))
    state = submit(page, editor)

    task_state = act(state, reviewer, "approve", comment="Facts match the sources.")

    page.refresh_from_db()
    assert page.live
    assert page.reviewed_by == "Dr Ana Ruiz, Dermatologist"
    assert page.last_reviewed_on == timezone.localdate()
    live = page.live_revision.as_object()
    assert (live.reviewed_by, live.last_reviewed_on) == ("Dr Ana Ruiz, Dermatologist", timezone.localdate())
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.revision_id == page.live_revision_id
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_the_api_meta_shows_the_approval(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    act(submit(page, editor), reviewer, "approve")
    page = ProcedurePage.objects.get(pk=page.pk)

    data = page_representation(page, requested_locale="en")

    approval = MedicalApproval.objects.get(page=page)
    assert data["meta"]["medical_review"] == {
        "reviewed_by": "Dr Ana Ruiz, Dermatologist",
        "last_reviewed_on": timezone.localdate(),
        "status": "approved",
        "reviewer": "Dr Ana Ruiz",
        "qualification": "Dermatologist",
        "registration": "GMC 7123456",
        "market": "en-GB",
        "approved_at": approval.approved_at,
        "content_hash": content_hash(page),
        "source_hash": None,
    }
    assert data["meta"]["revision"] == 1  # the approval published it, once


def test_the_approval_keeps_the_reviewer_as_they_were_that_day(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    act(submit(page, editor), reviewer, "approve")
    ReviewerProfile.objects.filter(user=reviewer).update(full_name="Prof Ana Ruiz", qualification="Professor")
    page = ProcedurePage.objects.get(pk=page.pk)

    review = page_representation(page, requested_locale="en")["meta"]["medical_review"]

    assert (review["reviewer"], review["qualification"]) == ("Dr Ana Ruiz", "Dermatologist")


@pytest.mark.parametrize("markets", [None, ["fr-FR"]], ids=["no profile", "another market"])
def test_a_reviewer_without_the_pages_market_cannot_approve(clinic, editor, markets):
    from tests.editor.conftest import make_reviewer

    user = make_reviewer("someone", *(markets or []))
    if markets is None:
        ReviewerProfile.objects.filter(user=user).delete()
    page = clinic.index.add_child(instance=procedure_page(live=False))
    state = submit(page, editor)
    revisions_before = page.revisions.count()

    task = state.current_task_state.task.specific
    assert [action[0] for action in task.get_actions(page, user)] == ["reject"]
    with pytest.raises(ApprovalRefused, match="reviewer profile" if markets is None else "not a reviewer for en-GB"):
        act(state, user, "approve")

    page.refresh_from_db()
    assert not page.live and page.revisions.count() == revisions_before
    assert not MedicalApproval.objects.exists()


def test_requesting_changes_publishes_nothing_and_stamps_nothing(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    state = submit(page, editor)
    revisions_before = page.revisions.count()

    act(state, reviewer, "reject", comment="Check the healing time against the source.")

    page.refresh_from_db()
    assert not page.live
    assert page.reviewed_by == ""
    assert page.last_reviewed_on is None
    assert page.revisions.count() == revisions_before
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_an_old_review_date_is_replaced_by_the_new_approval(clinic, editor, reviewer):
    page = clinic.index.add_child(
        instance=procedure_page(live=False, reviewed_by="Dr Old", last_reviewed_on=datetime.date(2020, 1, 2))
    )
    act(submit(page, editor), reviewer, "approve")
    page.refresh_from_db()
    assert (page.reviewed_by, page.last_reviewed_on) == ("Dr Ana Ruiz, Dermatologist", timezone.localdate())


def test_a_benefits_page_goes_through_the_same_review(clinic, editor, reviewer):
    procedure = publish_reviewed(clinic, editor, reviewer)
    benefits = procedure.add_child(
        instance=BenefitsPage(
            title="Benefits",
            slug="benefits",
            summary="What microneedling helps with.",
            concerns=[("concern", {"concern": "scars", "description": "Scars look shallower."})],
            live=False,
        )
    )
    act(submit(benefits, editor), reviewer, "approve")
    benefits.refresh_from_db()
    assert benefits.live and benefits.reviewed_by == "Dr Ana Ruiz, Dermatologist"


def publish_reviewed(clinic, editor, reviewer, **overrides):
    page = clinic.index.add_child(instance=procedure_page(live=False, **overrides))
    act(submit(page, editor), reviewer, "approve")
    page.refresh_from_db()
    return page


def test_approving_a_page_without_medical_content_publishes_it(clinic, editor, reviewer):
    """The home and index pages share the workflow; approving one records no medical
    approval (it has nothing to sign off) and publishes it."""
    home = clinic.home
    home.title = "Clinic, renamed"
    state = submit(home, editor)

    act(state, reviewer, "approve")

    home.refresh_from_db()
    assert home.title == "Clinic, renamed" and not home.has_unpublished_changes
    assert not MedicalApproval.objects.filter(page=home).exists()
