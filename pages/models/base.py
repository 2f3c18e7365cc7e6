"""The abstract page every clinic content page shares."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.review.preview import ApiJsonPreviewMixin
from pages import hooks as content_hooks
from pages import public
from pages.blocks import CitationBlock


class ContentPage(ApiJsonPreviewMixin, Page):
    """What every clinic content page has besides its own facts.

    Adds a summary, a hero image with translated alt text, the medical review
    (``reviewed_by``, ``last_reviewed_on``) and the sources a reviewer checked. Every
    locale's copy is approved by a reviewer of its own market, whose approval stamps
    the review fields (``cms.review.approvals``). SEO title and description are
    Wagtail's own promote fields.

    Subclasses extend ``public_fields``; the delivery API serves exactly those, and the
    admin preview draws that same JSON (``cms.review.preview``).
    """

    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_(
            "One or two sentences for listings and search results, e.g. “Microneedling uses "
            "tiny needles to prompt the skin to make new collagen.”"
        ),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A photo that shows the treatment, e.g. a practitioner using a microneedling pen on a cheek."),
    )
    hero_image_alt = models.CharField(
        _("hero image description"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it, e.g. “A practitioner treating a cheek with a pen”."
        ),
    )
    reviewed_by = models.CharField(
        _("medically reviewed by"),
        max_length=200,
        blank=True,
        help_text=_("Name and qualification, e.g. “Dr Ana Ruiz, dermatologist”. Set when a reviewer approves."),
    )
    last_reviewed_on = models.DateField(
        _("last reviewed on"),
        null=True,
        blank=True,
        help_text=_("The day a medical reviewer approved the page. Set when a reviewer approves."),
    )
    sources = StreamField(
        [("citation", CitationBlock())],
        verbose_name=_("sources"),
        blank=True,
        help_text=_("The studies and references behind the facts on this page."),
    )

    public_fields = (
        public.Field("summary"),
        public.Field("hero_image"),
        public.Field("hero_image_alt"),
        public.Field("sources"),
    )

    override_translatable_fields = [
        SynchronizedField("reviewed_by", overridable=False),
        SynchronizedField("last_reviewed_on", overridable=False),
    ]

    # What a clinic may change when it shows this page (``pages.models.clinic.ClinicPage``).
    clinic_overridable = ("practitioners", "booking_url", "local_notes", "regulatory_notice")

    # Every clinic content page makes medical claims: a medical reviewer approves it
    # before it goes live (cms.review, through pages.hooks.BEFORE_PUBLISH).
    requires_medical_review = True

    intro_panels = [FieldPanel("summary")]
    media_panels = [
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")),
    ]
    review_panels = [
        MultiFieldPanel(
            [
                # Written by the approval of the medical review workflow, never by hand.
                FieldRowPanel(
                    [FieldPanel("reviewed_by", read_only=True), FieldPanel("last_reviewed_on", read_only=True)]
                ),
                FieldPanel("sources"),
            ],
            heading=_("Medical review"),
        )
    ]

    search_fields = [*Page.search_fields, index.SearchField("summary")]

    class Meta:
        abstract = True

    @classmethod
    def editor_tabs(cls, content, *sections):
        """The edit screen as an editor thinks of it: Content, then the page's own
        sections (``(heading, panels)``, e.g. Facts or Devices), Media, Medical review,
        SEO and Settings."""
        tabs = [ObjectList(content, heading=_("Content"))]
        tabs += [ObjectList(panels, heading=heading) for heading, panels in sections]
        tabs += [
            ObjectList(cls.media_panels, heading=_("Media")),
            ObjectList(cls.review_panels, heading=_("Medical review")),
            ObjectList(Page.promote_panels, heading=_("SEO")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
        return TabbedInterface(tabs)

    def permissions_for_user(self, user):
        from cms.review.permissions import MedicalReviewPermissionTester

        return MedicalReviewPermissionTester(user, self)

    def publish(self, revision, user=None, **kwargs):
        """Every publish from code passes the hooks first (scheduled publishing, imports)."""
        content_hooks.run_before_publish(self, revision, user)
        return super().publish(revision, user=user, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.last_reviewed_on and self.last_reviewed_on > timezone.localdate():
            errors["last_reviewed_on"] = _("The review date cannot be in the future.")
        if self.hero_image_id and not self.hero_image_alt:
            errors["hero_image_alt"] = _("Describe the hero image for people who cannot see it.")
        try:
            public.validate_ranges(self)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
