"""The benefits page: the concerns a procedure treats."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from pages import public
from pages.blocks import ConcernBlock

from .base import ContentPage


class BenefitsPage(ContentPage):
    """What a procedure helps with: one entry per concern, with the evidence for it."""

    concerns = StreamField(
        [("concern", ConcernBlock())],
        verbose_name=_("concerns treated"),
        help_text=_("One entry per concern, e.g. acne, scars, stretch marks."),
    )

    public_fields = (*ContentPage.public_fields, public.Field("concerns"))

    content_panels = [*ContentPage.content_panels, *ContentPage.intro_panels]
    edit_handler = ContentPage.editor_tabs(content_panels, (_("Concerns"), [FieldPanel("concerns")]))

    parent_page_types = ["pages.ProcedurePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("benefits")
        verbose_name_plural = _("benefits pages")
