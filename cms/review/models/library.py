"""What each clinic page was last checked against: the library page it showed then.

A clinic page (``pages.ClinicPage``) changes some fields of a library page. When the
library page is published again, the clinic's changes may no longer fit it; the page
is flagged “library changed” until someone saves it or marks it as reviewed
(``cms.review.library``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LibraryReview(models.Model):
    """The live revision of the library page a clinic page showed when it was last saved or reviewed."""

    page = models.OneToOneField(
        "pages.ClinicPage",
        verbose_name=_("clinic page"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="library_review",
    )
    library_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("library revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The library page as it was live then; empty when no copy of it was public."),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("library review")
        verbose_name_plural = _("library reviews")

    def __str__(self):
        return f"{self.page_id} @ {self.library_revision_id}"
