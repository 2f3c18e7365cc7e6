"""Reusable translatable things that pages reference."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from pages import public
from pages.choices import Depth, DeviceKind, DeviceSetting, Practitioner, ResultVisibility, Sterilisation
from pages.fields import ChoiceListField

_positive_mm = [MinValueValidator(0.01)]
_positive = [MinValueValidator(1)]


class Device(TranslatableMixin, index.Indexed, models.Model):
    """A microneedling device (pen, roller) that comparison pages set side by side.

    Its name, summary and risks are translated; every typed attribute is synchronised,
    so a needle length is the same number in every locale.
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. “Professional microneedling pen”"))
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences, e.g. “A motorised pen used in clinics, with adjustable depth.”"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DeviceKind.choices, help_text=_("e.g. “Pen (motorised)” for a clinic pen.")
    )
    setting = models.CharField(
        _("setting"), max_length=20, choices=DeviceSetting.choices, help_text=_("e.g. “At home” for a derma roller.")
    )
    needle_length_min = models.DecimalField(
        _("shortest needle (mm)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_positive_mm,
        help_text=_("e.g. 0.5"),
    )
    needle_length_max = models.DecimalField(
        _("longest needle (mm)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_positive_mm,
        help_text=_("e.g. 2.5"),
    )
    depth = models.CharField(
        _("depth reached"),
        max_length=20,
        choices=Depth.choices,
        help_text=_("e.g. “Deeper dermis” for a pen with 2.5 mm needles."),
    )
    visible_results = models.CharField(
        _("visible results"),
        max_length=20,
        choices=ResultVisibility.choices,
        help_text=_("e.g. “Subtle” for a home roller."),
    )
    downtime_days_min = models.PositiveSmallIntegerField(
        _("downtime, fewest days"), null=True, blank=True, help_text=_("e.g. 1")
    )
    downtime_days_max = models.PositiveSmallIntegerField(
        _("downtime, most days"), null=True, blank=True, help_text=_("e.g. 3")
    )
    sterilisation = models.CharField(
        _("sterilisation"),
        max_length=20,
        choices=Sterilisation.choices,
        help_text=_("e.g. “Sterile single-use needles” for a clinic pen's cartridges."),
    )
    operated_by = ChoiceListField(
        _("operated by"), item_choices=Practitioner.choices, help_text=_("Who uses the device on the skin.")
    )
    risks = models.TextField(
        _("risks"),
        blank=True,
        help_text=_("e.g. “Injury to the skin and infection from needles that are not sterile.”"),
    )

    public_fields = (
        public.Field("name"),
        public.Field("summary"),
        public.Field("kind"),
        public.Field("setting"),
        public.Range("needle_length", unit="mm", label=_("Needle length"), example=_("0.5–2.5 mm")),
        public.Field("depth"),
        public.Field("visible_results"),
        public.Range("downtime_days", unit="day", label=_("Downtime"), example=_("1–3 days")),
        public.Field("sterilisation"),
        public.Field("operated_by"),
        public.Field("risks"),
    )
    # The rows of a comparison, in order; every one is also a public field above.
    comparison_attributes = (
        "setting",
        "needle_length",
        "depth",
        "visible_results",
        "downtime_days",
        "sterilisation",
        "operated_by",
        "risks",
    )

    override_translatable_fields = [SynchronizedField("needle_length_min"), SynchronizedField("needle_length_max")]

    panels = [
        FieldPanel("name"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("setting")]),
                FieldRowPanel([FieldPanel("needle_length_min"), FieldPanel("needle_length_max")]),
                FieldPanel("depth"),
                FieldPanel("visible_results"),
                FieldRowPanel([FieldPanel("downtime_days_min"), FieldPanel("downtime_days_max")]),
                FieldPanel("sterilisation"),
                FieldPanel("operated_by"),
            ],
            heading=_("Facts"),
        ),
        FieldPanel("risks"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        public.validate_ranges(self)
