"""The safety checklist page: what a client checks before, during and after."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from pages import public
from pages.blocks import ChecklistItemBlock

from .base import ContentPage


class SafetyChecklistPage(ContentPage):
    """A checklist a client can follow; each item has a phase and an importance."""

    items = StreamField(
        [("item", ChecklistItemBlock())],
        verbose_name=_("checklist items"),
        help_text=_("e.g. “Check the practitioner’s qualifications” before the treatment, required."),
    )

    public_fields = (*ContentPage.public_fields, public.Field("items"))

    content_panels = [*ContentPage.content_panels, *ContentPage.intro_panels]
    edit_handler = ContentPage.editor_tabs(content_panels, (_("Checklist"), [FieldPanel("items")]))

    parent_page_types = ["pages.ProcedurePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("safety checklist")
