"""The device comparison page: devices side by side on typed attributes."""

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from pages import public
from pages.blocks import DeviceEntryBlock
from pages.fields import ChoiceListField
from pages.panels import ComparisonMatrixPanel
from pages.snippets import Device

from .base import ContentPage


def _declared(name):
    return next(field for field in Device.public_fields if field.name == name)


def attribute_label(name):
    declared = _declared(name)
    if isinstance(declared, public.Range):
        return declared.label
    return Device._meta.get_field(name).verbose_name


ATTRIBUTE_CHOICES = [(name, attribute_label(name)) for name in Device.comparison_attributes]

# The kinds of comparison row, by what a cell holds: a range, one code, a list of codes, or text.
ROW_KINDS = ("range", "choice", "choices", "text")


def attribute_kind(name):
    """The kind of row attribute ``name`` makes (one of :data:`ROW_KINDS`)."""
    if isinstance(_declared(name), public.Range):
        return "range"
    field = Device._meta.get_field(name)
    if isinstance(field, ChoiceListField):
        return "choices"
    return "choice" if field.choices else "text"


def attribute_choices(name):
    """``[(code, label)]`` of a choice or choices attribute; empty for the others."""
    field = Device._meta.get_field(name) if attribute_kind(name) in ("choice", "choices") else None
    return list(getattr(field, "item_choices", None) or field.choices) if field is not None else []


class DeviceComparisonPage(ContentPage):
    """Compares devices (Device snippets) attribute by attribute, e.g. a clinic pen
    against a home roller. The API serves it as a matrix: attribute × device."""

    devices = StreamField(
        [("device", DeviceEntryBlock())],
        verbose_name=_("devices compared"),
        help_text=_("The columns of the comparison, in order, e.g. professional pen, home roller."),
    )
    compared_attributes = ChoiceListField(
        _("attributes compared"),
        item_choices=ATTRIBUTE_CHOICES,
        blank=True,
        help_text=_("The rows of the comparison. Leave all unticked to compare every attribute."),
    )

    public_fields = (
        *ContentPage.public_fields,
        public.Derived(
            "comparison", "comparison_matrix", "cms.api.serializers.ComparisonMatrixSerializer", shows=("pages.Device",)
        ),
    )

    clinic_overridable = (*ContentPage.clinic_overridable, "devices")

    content_panels = [*ContentPage.content_panels, *ContentPage.intro_panels]
    devices_panels = [
        FieldPanel("devices"),
        FieldPanel("compared_attributes"),
        ComparisonMatrixPanel(heading=_("The comparison as saved: attribute × device")),
    ]
    edit_handler = ContentPage.editor_tabs(content_panels, (_("Devices"), devices_panels))

    parent_page_types = ["pages.ProcedurePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("device comparison")

    def attribute_codes(self):
        chosen = set(self.compared_attributes or ())
        return [name for name in Device.comparison_attributes if not chosen or name in chosen]

    def comparison_matrix(self):
        """The comparison as data: codes and numbers in ``rows``, words in ``labels``.

        Values are codes (``clinic``), numbers with units or translated text; the
        localised names of attributes and codes sit apart in ``labels`` so that an app
        can render its own.
        """
        entries = [block.value for block in self.devices if block.value["device"] is not None]
        devices = [entry["device"] for entry in entries]
        rows, attribute_labels, choice_labels = [], {}, {}
        with translation.override(self.locale.language_code):
            for code in self.attribute_codes():
                declared = _declared(code)
                # Sentence case, as range labels are ("Setting" beside "Needle length").
                attribute_labels[code] = str(capfirst(attribute_label(code)))
                if isinstance(declared, public.Range):
                    rows.append(
                        {
                            "attribute": code,
                            "type": "range",
                            "unit": declared.unit,
                            "values": [declared.value(device) for device in devices],
                        }
                    )
                    continue
                choices = attribute_choices(code)
                if choices:
                    choice_labels[code] = {value: str(label) for value, label in choices}
                kind = attribute_kind(code)
                rows.append(
                    {
                        "attribute": code,
                        "type": kind,
                        "unit": None,
                        "values": [getattr(device, code) for device in devices],
                    }
                )
        return {
            "devices": [
                {
                    "key": str(device.translation_key),
                    "name": device.name,
                    "kind": device.kind,
                    "setting": device.setting,
                    "remark": entry["remark"],
                }
                for device, entry in zip(devices, entries, strict=False)
            ],
            "rows": rows,
            "labels": {"attributes": attribute_labels, "choices": choice_labels},
        }
