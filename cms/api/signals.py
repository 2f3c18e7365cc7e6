"""Edits that change what pages show without publishing a page, sent to the invalidation log.

Page publishes, unpublishes, moves, deletes and view restrictions are logged by
``cms.delivery.recording`` together with their change-feed rows; this module covers the
rest: a device (shown by comparison pages), an image (alt text, file), a translation
(``meta.translation``), a medical approval (``meta.medical_review``), an API key, a live
revision deleted (``meta.revision``), markets, and the sites and locales (every path).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site
from wagtail_localize.models import StringTranslation, TranslationSource

from cms.review.models import Market, MedicalApproval
from pages.models import Clinic
from pages.snippets import Device

from . import invalidation, tags
from .models import ApiKey


def device_changed(sender, instance, **kwargs):
    invalidation.record([tags.snippet(instance.pk)])


def image_changed(sender, instance, **kwargs):
    invalidation.record([tags.image(instance.pk)])


def translation_changed(sender, instance, **kwargs):
    key = instance.object_id if isinstance(instance, TranslationSource) else instance.context.object_id
    invalidation.record([tags.translation_status(key), tags.TRANSLATIONS])


def revision_deleted(sender, instance, **kwargs):
    """A live revision deleted (Wagtail's own purge function, a shell): the page's
    ``meta.revision`` changes, so its cached answers must go. Judged once the delete
    commits: a page deleted with its revisions is logged as a delete already."""
    page_ids = list(Page.objects.filter(live_revision_id=instance.pk).values_list("pk", flat=True))
    if page_ids:
        transaction.on_commit(lambda: _live_revision_gone(page_ids), robust=True)


def _live_revision_gone(page_ids):
    for page_id in Page.objects.filter(pk__in=page_ids).values_list("pk", flat=True):
        invalidation.record([tags.page(page_id), tags.ROWS], pages=[page_id])


def api_key_changed(sender, instance, **kwargs):
    invalidation.record([tags.API_KEYS])


def approval_changed(sender, instance, **kwargs):
    """A medical approval saved or deleted: the page's ``meta.medical_review`` changes, and
    so may the listings filtered on approval (``require=approved``)."""
    invalidation.record([tags.page(instance.page_id), tags.APPROVALS], pages=[instance.page_id])


def site_changed(sender, instance, **kwargs):
    invalidation.record([tags.SITE])


RECEIVERS = (
    (Device, device_changed),
    (get_image_model(), image_changed),
    (StringTranslation, translation_changed),
    (TranslationSource, translation_changed),
    (ApiKey, api_key_changed),
    (MedicalApproval, approval_changed),
    (Market, site_changed),  # a market's code shows in every approval; rare
    (Site, site_changed),
    (Clinic, site_changed),
    (Locale, site_changed),
)


def connect():
    """Connect the receivers (called in AppConfig.ready)."""
    for model, receiver in RECEIVERS:
        label = model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"api-invalidate-save-{label}", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"api-invalidate-delete-{label}", weak=False)
    pre_delete.connect(revision_deleted, sender=Revision, dispatch_uid="api-invalidate-revision-deleted", weak=False)
