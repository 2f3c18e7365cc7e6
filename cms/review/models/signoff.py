"""Markets, reviewer profiles and approvals: who signed off what, for which market.

A market is a locale with its own rules and reviewers (e.g. fr-FR for the French
pages). An approval is bound to the SHA-256 of what the reviewer saw
(``cms.review.hashing``), and keeps the reviewer's name, qualification and
registration number as they were that day, so a later profile edit never rewrites it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Market(models.Model):
    """A locale with its own rules and reviewers, e.g. “fr-FR” for the French pages."""

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Language and country, e.g. “fr-FR” or “en-GB”.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. “France”"))
    locale = models.OneToOneField(
        "wagtailcore.Locale",
        verbose_name=_("locale"),
        on_delete=models.PROTECT,
        related_name="market",
        help_text=_("The pages of this locale are reviewed for this market."),
    )

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        ordering = ["code"]

    def __str__(self):
        return self.code


class ReviewerProfile(models.Model):
    """A medical reviewer as an approval names them: the API and the audit trail show this."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    full_name = models.CharField(_("full name"), max_length=200, help_text=_("e.g. “Dr Ana Ruiz”"))
    qualification = models.CharField(_("qualification"), max_length=200, help_text=_("e.g. “Dermatologist”"))
    registration_number = models.CharField(
        _("professional registration number"),
        max_length=100,
        help_text=_("The number a regulator knows the reviewer by, e.g. a GMC number “7123456”."),
    )
    markets = models.ManyToManyField(
        Market,
        verbose_name=_("markets"),
        blank=True,
        related_name="reviewers",
        help_text=_("The markets this reviewer may approve pages for."),
    )

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self):
        return f"{self.full_name}, {self.qualification}"


class ReviewStatus(models.TextChoices):
    """Where a page's live content stands in medical review, as the API and the translation status say it."""

    APPROVED = "approved", _("Approved")
    NEEDS_RE_REVIEW = "needs_re_review", _("Needs re-review")
    NOT_REVIEWED = "not_reviewed", _("Not reviewed")


class ApprovalQuerySet(models.QuerySet):
    def standing(self):
        """Approvals that still cover the live content (an edit waiting for review leaves them standing)."""
        return self.filter(models.Q(void_reason="") | models.Q(void_reason=MedicalApproval.Void.EDITED))

    def review_statuses(self, page_ids):
        """``{page id: ReviewStatus}`` of the live content of pages that need medical review. One query.

        The status of the approval of each page's live revision (the latest one, as
        ``meta.medical_review`` reads it): needs re-review once anything it covered
        changed; not reviewed when no approval covers the live revision.
        """
        statuses = dict.fromkeys(page_ids, ReviewStatus.NOT_REVIEWED)
        for page_id, void_reason in self._of_live_revisions(statuses).items():
            statuses[page_id] = ReviewStatus.NEEDS_RE_REVIEW if void_reason else ReviewStatus.APPROVED
        return statuses

    def with_approved_live_content(self, page_ids):
        """The ids among ``page_ids`` whose live content is what their market's reviewer
        approved (``cms.review.approvals.live_content_approved`` for many pages). One query."""
        standing = ("", MedicalApproval.Void.EDITED)  # an edit awaiting review leaves the live content approved
        return {
            page_id for page_id, void_reason in self._of_live_revisions(page_ids).items() if void_reason in standing
        }

    def _of_live_revisions(self, page_ids):
        """``{page id: void reason}`` of the latest approval of each page's live revision."""
        page_ids = list(page_ids)
        if not page_ids:
            return {}
        rows = (
            self.filter(page_id__in=page_ids, revision_id=models.F("page__live_revision_id"))
            .order_by("page_id", "-approved_at", "-id")
            .values_list("page_id", "void_reason")
        )
        latest = {}
        for page_id, void_reason in rows:
            latest.setdefault(page_id, void_reason)
        return latest


class MedicalApproval(models.Model):
    """One reviewer's sign-off of one page's content for one market."""

    class Void(models.TextChoices):
        EDITED = "edited", _("the page was edited after approval")
        DEVICE = "device_changed", _("a device the page shows changed")
        LINKED_PAGE = "linked_page_changed", _("a page it links to or sits under was renamed")
        SOURCE = "source_changed", _("the page it was translated from changed")

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="medical_approvals")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="approvals")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+")
    content_hash = models.CharField(max_length=64)
    source_hash = models.CharField(max_length=64, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField(max_length=200)
    qualification = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=100)
    approved_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=30, choices=Void.choices, blank=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("medical approval")
        ordering = ["-approved_at", "-id"]
        indexes = [models.Index(fields=["page", "-approved_at"])]

    def __str__(self):
        return f"{self.page_id} for {self.market_id} by {self.reviewer_name}"

    @property
    def needs_re_review(self):
        return bool(self.void_reason)

    @property
    def status(self):
        return ReviewStatus.NEEDS_RE_REVIEW if self.needs_re_review else ReviewStatus.APPROVED

    def as_api(self):
        """``meta.medical_review``'s structured part."""
        return {
            "status": self.status.value,
            "reviewer": self.reviewer_name,
            "qualification": self.qualification,
            "registration": self.registration_number,
            "market": self.market.code,
            "approved_at": self.approved_at,
            "content_hash": self.content_hash,
            "source_hash": self.source_hash or None,
        }
