"""Clinics of a group, and the clinic pages that show the group's library.

The group's procedure library (procedure, benefits, comparison and safety pages) is
written and medically reviewed once. A **clinic** is a Wagtail Site with its own home,
a subset of the hub's locales and the URL of its front end. A :class:`ClinicPage`
references one library page and stores only what the clinic changes: the fields in
:attr:`ClinicPage.public_fields`, where each library page type allows them
(``clinic_overridable`` on the library model). Everything else, facts included, comes
from the library; the API serves the merge and says per field where it came from.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Page, Site
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail_localize.fields import SynchronizedField

from cms.review.preview import ApiJsonPreviewMixin
from pages import public
from pages.fields import ChoiceListField
from pages.sites import OTHER_CLINIC_LINK, OTHER_CLINIC_PAGE, linked_page_ids, other_clinics_pages

# Where a served field came from (``clinic.fields.<name>.source`` in the API).
FROM_LIBRARY = "library"
FROM_CLINIC = "clinic"


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (EUR)")
    GBP = "GBP", _("Pound sterling (GBP)")
    USD = "USD", _("US dollar (USD)")
    CHF = "CHF", _("Swiss franc (CHF)")


def hub_locales():
    """The locale codes this hub serves (``CMS_LOCALES``); a clinic serves a subset."""
    return [code for code, _name in settings.LANGUAGES]


class LocaleListField(ChoiceListField):
    """Locale codes chosen from the hub's, read from settings when a form is built,
    never frozen into a migration."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("item_choices", None)
        super().__init__(*args, **kwargs)

    @property
    def item_choices(self):
        return list(settings.LANGUAGES)

    @item_choices.setter
    def item_choices(self, value):
        pass  # always the hub's

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("item_choices", None)
        return name, "pages.models.clinic.LocaleListField", args, kwargs


class Clinic(models.Model):
    """A clinic of the group: one Wagtail Site, the locales it serves, its front end.

    Its editors, reviewers and translators work in its own page tree and image
    collection; the API serves it to requests for its Site's host or ``?site=<slug>``.
    """

    site = models.OneToOneField(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="clinic")
    slug = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Short name apps use to ask for this clinic, e.g. “madrid” in ?site=madrid."),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. “Lumen Skin Clinic Madrid”"))
    locales = LocaleListField(
        _("locales"), help_text=_("The languages this clinic's website is in, from the hub's languages.")
    )
    frontend_url = models.URLField(
        _("front-end URL"), blank=True, help_text=_("Where the clinic's website lives, e.g. https://madrid.example")
    )
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("image collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The collection that holds this clinic's own images and documents."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("site"),
        FieldPanel("locales"),
        FieldPanel("frontend_url"),
        FieldPanel("collection"),
    ]

    class Meta:
        verbose_name = _("clinic")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Refused from code too (commands, shell), not only from the admin form.
        errors = self.locale_errors()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    def locale_errors(self):
        hub = hub_locales()
        unknown = [code for code in self.locales or [] if code not in hub]
        if unknown:
            return {
                "locales": _("%(codes)s: not a language of this hub. Choose from %(hub)s.")
                % {"codes": ", ".join(map(str, unknown)), "hub": ", ".join(hub)}
            }
        if not self.locales:
            return {"locales": _("Choose at least one language.")}
        return {}

    def clean(self):
        super().clean()
        errors = self.locale_errors()
        if errors:
            raise ValidationError(errors)


class PractitionerBlock(blocks.StructBlock):
    """Someone who performs the treatment at this clinic."""

    name = blocks.CharBlock(label=_("Name"), max_length=120, help_text=_("e.g. “Dr Lucía Ortega”"))
    qualification = blocks.CharBlock(
        label=_("Qualification"), max_length=200, help_text=_("e.g. “Dermatologist, 12 years of microneedling”")
    )
    registration_number = blocks.CharBlock(
        label=_("Registration number"),
        required=False,
        max_length=60,
        help_text=_("Their professional registration, e.g. a medical council number."),
    )

    class Meta:
        icon = "user"
        label = _("Practitioner")


class OfferedDeviceBlock(blocks.StructBlock):
    device = SnippetChooserBlock("pages.Device", label=_("Device"), help_text=_("A device this clinic uses."))

    class Meta:
        icon = "cog"
        label = _("Device")


class ClinicPageForm(WagtailAdminPageForm):
    """Refuses, on a new clinic page, what refers to another clinic (``ClinicPage.clean``
    checks saved pages, whose place in the tree it knows)."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and self.parent_page is not None:
            self.instance.local_notes = cleaned.get("local_notes", self.instance.local_notes)
            library_page = cleaned.get("library_page")
            self.instance.library_page_id = library_page.pk if library_page is not None else None
            for name, message in self.instance.other_clinic_errors(self.parent_page.path).items():
                if name in self.fields:
                    self.add_error(name, message)
        return cleaned


class ClinicPage(ApiJsonPreviewMixin, Page):
    """A library page as one clinic serves it: a reference plus the clinic's own details.

    Leave a field empty to show the library's. Which fields a clinic may change depends
    on the library page's type (``clinic_overridable``); the API serves the library's
    content with these fields merged in, each marked ``library`` or ``clinic``.
    """

    library_page = models.ForeignKey(
        Page,
        verbose_name=_("library page"),
        on_delete=models.PROTECT,
        related_name="clinic_pages",
        help_text=_("The group's page this clinic shows, e.g. Microneedling in the procedure library."),
    )
    practitioners = StreamField(
        [("practitioner", PractitionerBlock())],
        verbose_name=_("practitioners"),
        blank=True,
        help_text=_("Who performs the treatment here, with their qualifications."),
    )
    price_min = models.DecimalField(
        _("price from"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_max = models.DecimalField(
        _("price up to"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    devices = StreamField(
        [("device", OfferedDeviceBlock())],
        verbose_name=_("devices offered"),
        blank=True,
        help_text=_("The devices this clinic uses for the treatment."),
    )
    booking_url = models.URLField(
        _("booking link"), blank=True, help_text=_("Where clients book, e.g. https://madrid.example/book")
    )
    local_notes = RichTextField(
        _("local notes"), blank=True, features=["bold", "italic", "link"], help_text=_("e.g. parking, opening hours")
    )
    regulatory_notice = models.TextField(
        _("regulatory notice"),
        blank=True,
        max_length=1000,
        help_text=_("A notice this clinic's regulator requires, shown with the page."),
    )

    # The overridable fields, declared once: the API's ``clinic.fields`` and its schema.
    public_fields = (
        public.Field("practitioners"),
        public.Derived("price", "price_range", "cms.api.serializers.PriceSerializer"),
        public.Field("devices"),
        public.Field("booking_url"),
        public.Field("local_notes"),
        public.Field("regulatory_notice"),
    )
    # Served with its library page's type, never as a type of its own (cms.api.types).
    serves_library_type = True

    override_translatable_fields = [
        SynchronizedField("library_page", overridable=False),
        SynchronizedField("price_min", overridable=False),
        SynchronizedField("price_max", overridable=False),
        SynchronizedField("price_currency", overridable=False),
        SynchronizedField("devices"),
        SynchronizedField("booking_url"),
    ]

    content_panels = [
        *Page.content_panels,
        PageChooserPanel(
            "library_page",
            ["pages.ProcedurePage", "pages.BenefitsPage", "pages.DeviceComparisonPage", "pages.SafetyChecklistPage"],
        ),
        FieldPanel("practitioners"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("price_min"), FieldPanel("price_max"), FieldPanel("price_currency")])],
            heading=_("Price"),
        ),
        FieldPanel("devices"),
        FieldPanel("booking_url"),
        FieldPanel("local_notes"),
        FieldPanel("regulatory_notice"),
    ]

    parent_page_types = ["pages.HomePage", "pages.ClinicPage"]
    subpage_types = ["pages.ClinicPage"]
    base_form_class = ClinicPageForm

    class Meta:
        verbose_name = _("clinic page")

    # --- Overrides ----------------------------------------------------------------------

    def price_range(self):
        if self.price_min is None and self.price_max is None:
            return None
        return {
            "min": public._plain_number(self.price_min),
            "max": public._plain_number(self.price_max),
            "currency": self.price_currency or None,
        }

    def override_value(self, name):
        """The clinic's value of overridable field ``name``, or None when it shows the library's."""
        if name == "price":
            return self.price_range()
        value = getattr(self, name)
        if value is None or value == "" or (hasattr(value, "__len__") and len(value) == 0):
            return None
        return value

    def overridden(self):
        """Names of the fields this page changes."""
        return [declared.name for declared in self.public_fields if self.override_value(declared.name) is not None]

    def clean(self):
        super().clean()
        errors = self.other_clinic_errors(self.path) if self.path else {}
        library = self.library_page.specific if self.library_page_id else None
        if library is not None:
            allowed = getattr(type(library), "clinic_overridable", None)
            if allowed is None:
                errors["library_page"] = _("Choose a page of the procedure library, not a clinic's own page.")
            else:
                labels = {name: field_label(name) for name in allowed}
                for name in self.overridden():
                    if name not in allowed:
                        errors[_error_field(name)] = _(
                            "“%(field)s” cannot be changed by a clinic on a %(type)s page. "
                            "A clinic may change: %(allowed)s."
                        ) % {
                            "field": field_label(name),
                            "type": type(library)._meta.verbose_name,
                            "allowed": ", ".join(str(label) for label in labels.values()),
                        }
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            errors["price_min"] = _("The lowest price is more than the highest. Put the smaller number first.")
        if (self.price_min is not None or self.price_max is not None) and not self.price_currency:
            errors["price_currency"] = _("Choose the currency of the price.")
        if errors:
            raise ValidationError(errors)

    def other_clinic_errors(self, path):
        """``{field: message}`` for what of this page refers to another clinic's pages.

        ``path`` is the page's tree path (for a new page, its parent's). A clinic page
        may refer to its own clinic's pages and the library's only: the API shows what
        it refers to to the clinic's readers.
        """
        errors = {}
        if other_clinics_pages(linked_page_ids(self.local_notes), path):
            errors["local_notes"] = OTHER_CLINIC_LINK
        if self.library_page_id and other_clinics_pages({self.library_page_id}, path):
            errors["library_page"] = OTHER_CLINIC_PAGE
        return errors


def _error_field(name):
    return "price_min" if name == "price" else name


def field_label(name):
    """An overridable field's name as editors read it."""
    if name == "price":
        return _("price")
    return capfirst(ClinicPage._meta.get_field(name).verbose_name)
