"""The “Medical review” workflow: setting it up for every locale and market.

``ensure_review_workflow()`` creates (once) the “Medical reviewers” group, the
“Medical review” task and workflow, and assigns the workflow to the home page of every
locale, so every page below them, translations included, is reviewed, and the markets
``CMS_MARKETS`` names. The demo loader calls it; calling it again changes nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from cms.review.markets import ensure_markets
from cms.review.models import MedicalReviewTask
from cms.review.rule_packs import ensure_rule_packs

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
    ensure_markets()
    ensure_rule_packs()
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
