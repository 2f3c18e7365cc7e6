"""The procedure page: what a treatment is, how it goes and what it takes."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from pages import public
from pages.blocks import StepBlock
from pages.choices import Practitioner
from pages.fields import ChoiceListField

from .base import ContentPage

PROSE_FEATURES = ["bold", "italic", "link", "ul", "ol"]


def _count(label, example):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("e.g. %s") % example
    )


class ProcedurePage(ContentPage):
    """A cosmetic procedure such as microneedling.

    Editors describe it in prose (what it is, how it works, who it suits) and record
    its facts as numbers and choices, so apps can show “10–20 minutes” in any language
    without parsing text. Benefits, device comparison and safety checklist pages hang
    below it.
    """

    also_known_as = models.CharField(
        _("also known as"), max_length=200, blank=True, help_text=_("e.g. “Collagen induction therapy”")
    )
    what_it_is = RichTextField(
        _("what it is"),
        features=PROSE_FEATURES,
        help_text=_("e.g. “A minimally invasive treatment that makes tiny punctures in the skin…”"),
    )
    how_it_works = RichTextField(
        _("how it works"),
        features=PROSE_FEATURES,
        blank=True,
        help_text=_("e.g. “The small wounds prompt the body to send collagen and elastin to repair them…”"),
    )
    steps = StreamField(
        [("step", StepBlock())],
        verbose_name=_("steps"),
        blank=True,
        help_text=_("The treatment in order, e.g. numbing cream, needling, serum."),
    )
    # Facts: synchronised across locales, never written inside prose.
    session_minutes_min = _count(_("session length, shortest (minutes)"), 10)
    session_minutes_max = _count(_("session length, longest (minutes)"), 20)
    sessions_needed_min = _count(_("sessions usually needed, fewest"), 4)
    sessions_needed_max = _count(_("sessions usually needed, most"), 6)
    healing_days_min = _count(_("healing time, fewest days"), 2)
    healing_days_max = _count(_("healing time, most days"), 21)
    performed_by = ChoiceListField(
        _("performed by"),
        item_choices=Practitioner.choices,
        help_text=_("Who may carry out the treatment, e.g. dermatologist and aesthetician."),
    )
    suitable_for = RichTextField(
        _("who it suits"),
        features=PROSE_FEATURES,
        blank=True,
        help_text=_("e.g. “People in good health whose concerns did not respond to peels…”"),
    )

    public_fields = (
        *ContentPage.public_fields,
        public.Field("also_known_as"),
        public.Field("what_it_is"),
        public.Field("how_it_works"),
        public.Field("steps"),
        public.Range("session_minutes", unit="min", label=_("Session length"), example=_("10–20 minutes")),
        public.Range("sessions_needed", unit="session", label=_("Sessions needed"), example=_("4–6 sessions")),
        public.Range("healing_days", unit="day", label=_("Healing time"), example=_("2–21 days")),
        public.Field("performed_by"),
        public.Field("suitable_for"),
    )

    clinic_overridable = (*ContentPage.clinic_overridable, "price", "devices")

    content_panels = [
        *ContentPage.content_panels,
        FieldPanel("also_known_as"),
        *ContentPage.intro_panels,
        FieldPanel("what_it_is"),
        FieldPanel("how_it_works"),
        FieldPanel("steps"),
        FieldPanel("suitable_for"),
    ]
    facts_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("session_minutes_min"), FieldPanel("session_minutes_max")]),
                FieldRowPanel([FieldPanel("sessions_needed_min"), FieldPanel("sessions_needed_max")]),
                FieldRowPanel([FieldPanel("healing_days_min"), FieldPanel("healing_days_max")]),
            ],
            heading=_("Numbers (the same in every language)"),
        ),
        FieldPanel("performed_by"),
    ]
    edit_handler = ContentPage.editor_tabs(content_panels, (_("Facts"), facts_panels))

    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("also_known_as"),
        index.SearchField("what_it_is"),
    ]

    parent_page_types = ["pages.HomePage", "pages.ProcedureIndexPage"]
    subpage_types = ["pages.BenefitsPage", "pages.DeviceComparisonPage", "pages.SafetyChecklistPage"]

    class Meta:
        verbose_name = _("procedure")
