"""What the medical sign-off listens to: publishes, new drafts, device edits, workflow steps.

Runs inside the transaction of the change, so a void commits (or rolls back) with the
edit that caused it, and its invalidation reaches every serving process with it.
Connected after ``cms.delivery.recording`` (app order), so the site index already
knows a new title when the pages showing it are hashed again.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, Revision
from wagtail.signals import page_published, task_rejected, workflow_submitted

from cms.review import approvals, audit, library
from cms.review.gate import is_gated
from cms.review.markets import market_of
from cms.review.models import AuditEvent, MedicalApproval
from pages.snippets import Device


def _market_code(page):
    market = market_of(page)
    return market.code if market else ""


@receiver(page_published)
def published(sender, instance, revision=None, **kwargs):
    page = instance
    if getattr(page.specific_class, "requires_medical_review", False) and is_gated(page):
        approval = approvals.in_force(page)
        audit.append(
            AuditEvent.PUBLISHED,
            page,
            market=_market_code(page),
            user=getattr(revision, "user", None),
            revision_id=getattr(revision, "pk", None),
            content_hash=approval.content_hash if approval else "",
        )
    # Pages under it show its title as their parent; pages linking to it show it too.
    shown_by = Page.objects.child_of(page) | approvals.pages_referring_to([page])
    for other in approvals.approved_pages(shown_by):
        approvals.void_if_changed(other, MedicalApproval.Void.LINKED_PAGE)


@receiver(post_save, sender=Revision)
def draft_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.base_content_type_id != _page_content_type_id():
        return
    if not MedicalApproval.objects.filter(page_id=instance.object_id, void_reason="").exists():
        return
    draft = instance.as_object()
    approvals.void_if_changed(draft, MedicalApproval.Void.EDITED, content=draft)


@receiver(post_save, sender=Revision)
def clinic_page_saved(sender, instance, created, raw=False, **kwargs):
    """Saving a clinic page (a draft, a publish, a translation's sync) checks it against the
    library copy it shows: its “library changed” flag clears (``library.py``)."""
    if not created or raw or instance.content_type_id != _clinic_page_content_type_id():
        return
    from pages.models import ClinicPage

    page = ClinicPage.objects.filter(pk=instance.object_id).select_related("locale").first()
    if page is not None:
        library.mark_reviewed(page, user=instance.user)


@receiver(post_save, sender=Device)
def device_edited(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    for page in approvals.approved_pages(approvals.pages_referring_to([instance])):
        approvals.void_if_changed(page, MedicalApproval.Void.DEVICE)


@receiver(workflow_submitted)
def submitted(sender, instance, user=None, **kwargs):
    page = instance.content_object
    if hasattr(page, "translation_key"):
        audit.append(
            AuditEvent.SUBMITTED, page, market=_market_code(page), user=user, revision_id=page.latest_revision_id
        )


@receiver(task_rejected)
def rejected(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    if hasattr(page, "translation_key"):
        audit.append(
            AuditEvent.REJECTED,
            page,
            market=_market_code(page),
            user=user,
            revision_id=instance.revision_id,
            comment=instance.get_comment() if hasattr(instance, "get_comment") else "",
        )


def _page_content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk


def _clinic_page_content_type_id():
    from django.contrib.contenttypes.models import ContentType

    from pages.models import ClinicPage

    return ContentType.objects.get_for_model(ClinicPage).pk
