"""The “Medical review” workflow: setting it up, stamping approvals, publishing.

``ensure_review_workflow()`` creates (once) the “Medical reviewers” group, the
“Medical review” task and workflow, and assigns the workflow to the home page of every
locale, so every page below them, translations included, is reviewed. The demo loader
calls it; calling it again changes nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from cms.review.models import MedicalReviewTask

MEDICAL_REVIEWERS = "Medical reviewers"
WORKFLOW_NAME = "Medical review"
TASK_NAME = "Medical review"


@transaction.atomic
def ensure_review_workflow():
    """Create or repair the medical review workflow and return it. Idempotent."""
    reviewers, _created = Group.objects.get_or_create(name=MEDICAL_REVIEWERS)
    reviewers.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    task = MedicalReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = MedicalReviewTask.objects.create(name=TASK_NAME)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(reviewers)

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    for home in _home_pages():
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


def _home_pages():
    from pages.models import HomePage

    return Page.objects.type(HomePage)


def review_workflow():
    return Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()


@receiver(post_save, sender="pages.HomePage")
def _review_new_locale(sender, instance, created, **kwargs):
    """A home page made later (e.g. the Italian translation) joins the workflow at once."""
    if created and not kwargs.get("raw"):
        workflow = review_workflow()
        if workflow is not None:
            WorkflowPage.objects.get_or_create(page=instance, defaults={"workflow": workflow})


def reviewer_name(user):
    return user.get_full_name().strip() or user.get_username()


def stamp_review(task_state, user):
    """Save a revision of the content under review with the reviewer's name and today's date.

    The new revision differs from the reviewed one only by the stamp; the task state is
    pointed at it, so the revision that goes live is the one recorded as approved.
    """
    page = task_state.workflow_state.content_object
    page = page.specific if isinstance(page, Page) else page
    if user is None or not hasattr(page, "reviewed_by"):
        return
    draft = page.get_latest_revision_as_object()
    draft.reviewed_by = reviewer_name(user)[: draft._meta.get_field("reviewed_by").max_length]
    draft.last_reviewed_on = timezone.localdate()
    revision = draft.save_revision(user=user, clean=False)
    task_state.revision = revision
    task_state.save(update_fields=["revision"])


def passed_medical_review(page):
    """True when the page is live and its live content carries a medical review.

    A page's own row holds its live content (drafts live in revisions). ``reviewed_by``
    and ``last_reviewed_on`` are read-only in the admin: an approved medical review
    writes them (see ``stamp_review``), or developers load content that was reviewed
    elsewhere, such as the demo.
    """
    return bool(page.live and page.reviewed_by and page.last_reviewed_on)
