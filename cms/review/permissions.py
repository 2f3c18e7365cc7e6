"""Who may publish a page that needs medical review, and when.

A procedure or safety checklist page (``requires_medical_review = True``) goes live
only through an approved “Medical review” workflow: nobody, superusers included, gets
a plain “Publish” button for it. A translation of such a page may be published by a
translator with publish permission on that locale, but only once its source page is
live with content a medical reviewer approved (``passed_medical_review``); numbers and
the review itself are synchronised from that source.
"""

from django.utils.functional import cached_property
from wagtail.models import Page, PagePermissionTester
from wagtail_localize.models import TranslationSource

from cms.review.workflow import passed_medical_review


def source_page_of(page):
    """The page a translation was made from, or ``None`` when ``page`` is itself the source."""
    source = TranslationSource.objects.filter(object_id=page.translation_key).select_related("locale").first()
    if source is None or source.locale_id == page.locale_id:
        return None
    source_page = Page.objects.filter(translation_key=page.translation_key, locale_id=source.locale_id).first()
    return source_page.specific if source_page is not None else None


def may_publish_without_workflow(page):
    """False when publishing ``page`` directly would skip a required medical review."""
    if not getattr(page.specific_class, "requires_medical_review", False):
        return True
    source = source_page_of(page)
    return source is not None and passed_medical_review(source)


class MedicalReviewPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, with publishing held back until medical review allows it."""

    def can_publish(self):
        return super().can_publish() and self._review_allows_publishing

    # Scheduling and view restrictions follow plain publish permission: neither puts
    # unreviewed content live.
    def can_unschedule(self):
        return super().can_publish()

    def can_set_view_restrictions(self):
        return super().can_publish()

    @cached_property
    def _review_allows_publishing(self):
        return may_publish_without_workflow(self.page)
