"""Who may publish a clinic content page: nobody directly, while medical review governs it.

Every clinic content page (procedure, benefits, device comparison, safety checklist,
in every locale) goes live only through an approved “Medical review” workflow
(``cms.review.gate``): nobody, superusers included, gets a plain “Publish” button for
it. A superuser who must publish without review uses “Publish without review”, which
asks for a reason and logs it. Translations are approved by a reviewer of their own
market.
"""

from django.utils.functional import cached_property
from wagtail.models import PagePermissionTester

from cms.review.gate import bypassing, is_gated


class MedicalReviewPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, with publishing held back until medical review allows it."""

    def can_publish(self):
        return super().can_publish() and (not self._gated or bypassing(self.user))

    # Scheduling and view restrictions follow plain publish permission: neither puts
    # unreviewed content live.
    def can_unschedule(self):
        return super().can_publish()

    def can_set_view_restrictions(self):
        return super().can_publish()

    @cached_property
    def _gated(self):
        return is_gated(self.page)
