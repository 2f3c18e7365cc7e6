"""Serializers that document (and for content, render) the API's JSON.

Page content serializers are generated per page type from ``public_fields``
(``content.py``); this module holds the shapes around them: references, meta, images,
ranges, the device comparison matrix, listings and the polymorphic page object whose
``type`` selects its ``content`` component.
"""

from functools import cache

from django.utils import translation
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from cms.review.models import ReviewStatus
from pages import public
from pages.models import ClinicPage, comparison
from pages.models.clinic import FROM_CLINIC, FROM_LIBRARY, Currency
from pages.snippets import Device

from . import labels, structured_data
from .content import DerivedContentField, content_serializer, field_for
from .images import RENDITION_WIDTHS
from .types import page_types


class RangeSerializer(serializers.Serializer):
    """A fact with bounds, e.g. a session of 10–20 minutes: ``{"min": 10, "max": 20, "unit": "min"}``."""

    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    unit = serializers.ChoiceField(choices=sorted(public.UNIT_LABELS), help_text="Unit code, e.g. min, day, mm.")


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Absolute URL of the scaled image.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()


RenditionsSerializer = type(
    "RenditionsSerializer",
    (serializers.Serializer,),
    {str(width): RenditionSerializer(help_text=f"Scaled to at most {width} px wide.") for width in RENDITION_WIDTHS},
)


class ImageSerializer(serializers.Serializer):
    """An image with alt text and renditions at a few widths, for ``srcset``."""

    id = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionsSerializer()


# --- Device comparison ------------------------------------------------------------------


class ComparisonDeviceSerializer(serializers.Serializer):
    """A column of the comparison."""

    key = serializers.UUIDField(help_text="The device's translation key, the same in every locale.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Device._meta.get_field("kind").choices)
    setting = serializers.ChoiceField(choices=Device._meta.get_field("setting").choices)
    remark = serializers.CharField(allow_blank=True)


def _attributes_of(kind):
    return [code for code in Device.comparison_attributes if comparison.attribute_kind(code) == kind]


def _codes_of(kind):
    return sorted({code for name in _attributes_of(kind) for code, _label in comparison.attribute_choices(name)})


def _schema_field(name, schema):
    """A read-only DRF field documented by a hand-written JSON schema."""
    return extend_schema_field(schema)(type(name, (serializers.Field,), {"__module__": __name__}))(read_only=True)


def _row_serializer(kind, values_schema, unit_schema, doc):
    """One kind of comparison row: ``type`` names the kind, ``values`` are typed for it."""
    return type(
        f"Comparison{kind.title()}Row",
        (serializers.Serializer,),
        {
            "attribute": _schema_field(
                f"{kind.title()}AttributeField", {"type": "string", "enum": _attributes_of(kind)}
            ),
            "type": _schema_field(f"{kind.title()}RowTypeField", {"type": "string", "enum": [kind]}),
            "unit": _schema_field(f"{kind.title()}UnitField", unit_schema),
            "values": _schema_field(
                f"{kind.title()}ValuesField",
                {"type": "array", "items": values_schema, "description": "One cell per device, in column order."},
            ),
            "__doc__": doc,
            "__module__": __name__,
        },
    )


_RANGE_REF = {"$ref": "#/components/schemas/Range"}
COMPARISON_ROWS = {
    "range": _row_serializer(
        "range",
        {"oneOf": [_RANGE_REF, {"type": "null"}]},
        {"type": "string", "enum": sorted(public.UNIT_LABELS)},
        "An attribute with bounds: each cell is {min, max, unit}, or null when the device does not say.",
    ),
    "choice": _row_serializer(
        "choice",
        {"type": "string", "enum": _codes_of("choice")},
        {"type": "null"},
        "An attribute with one code per device; its words are in labels.choices.",
    ),
    "choices": _row_serializer(
        "choices",
        {"type": "array", "items": {"type": "string", "enum": _codes_of("choices")}},
        {"type": "null"},
        "An attribute with a list of codes per device; their words are in labels.choices.",
    ),
    "text": _row_serializer("text", {"type": "string"}, {"type": "null"}, "An attribute in translated prose."),
}
assert tuple(COMPARISON_ROWS) == comparison.ROW_KINDS


def comparison_choice_codes():
    """Every code a ``choice`` row's cell can hold (the ``ComparisonChoiceCodeEnum`` of the schema)."""
    return _codes_of("choice")


def comparison_row_serializer():
    """A row: one attribute across every device; ``type`` says what its ``values`` hold."""
    return PolymorphicProxySerializer(
        component_name="ComparisonRow",
        serializers={kind: serializer for kind, serializer in COMPARISON_ROWS.items()},
        resource_type_field_name="type",
        many=True,
    )


class ComparisonLabelsSerializer(serializers.Serializer):
    """Localised names (sentence case), kept apart from the codes so an app can use its own."""

    attributes = serializers.DictField(child=serializers.CharField(), help_text="Attribute code -> label.")
    choices = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Attribute code -> (choice code -> label).",
    )


class ComparisonMatrixSerializer(serializers.Serializer):
    """The device comparison as a matrix: attribute × device, with units and enum codes.

    Shaped like ``DeviceComparisonPage.comparison_matrix()``.
    """

    devices = ComparisonDeviceSerializer(many=True)
    rows = comparison_row_serializer()
    labels = ComparisonLabelsSerializer()


# --- Page objects -----------------------------------------------------------------------


def _type_field():
    return serializers.ChoiceField(choices=sorted(page_types()), help_text="The page type, e.g. pages.ProcedurePage.")


class PageReferenceSerializer(serializers.Serializer):
    """Another public page this one mentions."""

    key = serializers.UUIDField()
    id = serializers.IntegerField()
    type = _type_field()
    locale = serializers.CharField()
    title = serializers.CharField()
    path = serializers.CharField(allow_null=True)


class MedicalReviewSerializer(serializers.Serializer):
    """Who approved the live content, for which market, and the SHA-256 of what they approved."""

    reviewed_by = serializers.CharField(allow_null=True)
    last_reviewed_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(
        choices=ReviewStatus.values,
        help_text=(
            "approved: the live content is what the reviewer approved; needs_re_review: something it "
            "shows changed since (a device, a linked page's title) or an edit awaits review; "
            "not_reviewed: no approval covers the live revision."
        ),
    )
    reviewer = serializers.CharField(allow_null=True, help_text="The reviewer's name as it was at approval.")
    qualification = serializers.CharField(allow_null=True, help_text="e.g. Dermatologist")
    registration = serializers.CharField(allow_null=True, help_text="Professional registration number.")
    market = serializers.CharField(allow_null=True, help_text="The market approved for, e.g. fr-FR.")
    approved_at = serializers.DateTimeField(allow_null=True)
    content_hash = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        allow_null=True,
        help_text="SHA-256 of the canonical JSON of the content approved (see the README).",
    )
    source_hash = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        allow_null=True,
        help_text="For a translation: the content hash of the source approval it was translated from.",
    )


class TranslationStatusSerializer(serializers.Serializer):
    source_locale = serializers.CharField(allow_null=True, help_text="The locale translators work from.")
    is_source = serializers.BooleanField(allow_null=True)
    progress = serializers.IntegerField(allow_null=True, min_value=0, max_value=100, help_text="Percent translated.")
    stale = serializers.IntegerField(
        allow_null=True, min_value=0, help_text="Segments whose source text changed since they were translated."
    )
    machine = serializers.IntegerField(allow_null=True, min_value=0, help_text="Segments translated by a machine.")


class PageMetaSerializer(serializers.Serializer):
    version = serializers.ChoiceField(choices=["live", "draft"])
    revision = serializers.IntegerField(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    medical_review = MedicalReviewSerializer(allow_null=True)
    translation = TranslationStatusSerializer()


class _PageIdentitySerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text="Translation key: the same for every locale's copy of the page.")
    id = serializers.IntegerField()
    locale = serializers.CharField(help_text="The locale served.")
    requested_locale = serializers.CharField(help_text="The locale asked for (or *).")
    fallback = serializers.BooleanField(help_text="True when served from a fallback locale.")
    title = serializers.CharField()
    slug = serializers.CharField()
    path = serializers.CharField(allow_null=True, help_text="The page's public URL path.")


class PageSummaryMetaSerializer(serializers.Serializer):
    revision = serializers.IntegerField(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)


class PageSummarySerializer(_PageIdentitySerializer):
    """A page in a listing; fetch ``/pages/{key}/`` for its content."""

    type = _type_field()
    parent = serializers.UUIDField(allow_null=True, help_text="The parent's key, if public.")
    meta = PageSummaryMetaSerializer()


class PageListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True, help_text="Absolute URL of the next page of results.")
    previous = serializers.URLField(allow_null=True, help_text="Absolute URL of the previous page of results.")
    results = PageSummarySerializer(many=True)


class HreflangSerializer(serializers.Serializer):
    hreflang = serializers.CharField(help_text="A locale code, or x-default for the default locale's copy.")
    href = serializers.URLField(help_text="Absolute URL of that copy on the clinic website.")


class SeoSerializer(serializers.Serializer):
    """What a website puts in the page's <head>."""

    seo_title = serializers.CharField(allow_blank=True, help_text="The title for search engines; empty: use title.")
    search_description = serializers.CharField(allow_blank=True, help_text="The meta description; may be empty.")
    canonical = serializers.URLField(
        allow_null=True, help_text="Absolute URL of the page served (the fallback's when fallback is true)."
    )
    hreflang = HreflangSerializer(
        many=True, help_text="Every public copy of the page, then x-default (the default locale's copy)."
    )


class PriceSerializer(serializers.Serializer):
    """A clinic's price range for a treatment, e.g. ``{"min": 180, "max": 250, "currency": "EUR"}``."""

    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    currency = serializers.ChoiceField(choices=sorted(Currency.values), allow_null=True, help_text="ISO 4217 code.")


def _clinic_field_serializer(declared):
    """``{value, source}`` of one overridable field; ``value`` typed as the field is."""
    return type(
        f"Clinic{declared.name.title().replace('_', '')}",
        (serializers.Serializer,),
        {
            "value": (
                DerivedContentField(declared, allow_null=True)  # e.g. no price anywhere
                if isinstance(declared, public.Derived)
                else field_for(ClinicPage, declared)
            ),
            "source": serializers.ChoiceField(
                choices=[FROM_LIBRARY, FROM_CLINIC],
                help_text="clinic: the clinic set it; library: the library page's value (empty when it has none).",
            ),
            "__module__": __name__,
        },
    )


with translation.override(None):  # help texts in the source language, whatever is active now
    _clinic_fields = {declared.name: _clinic_field_serializer(declared)() for declared in ClinicPage.public_fields}
ClinicFieldsSerializer = type(
    "ClinicFields",
    (serializers.Serializer,),
    {
        **_clinic_fields,
        "__doc__": "Every field a clinic may change, with its value and where it came from.",
        "__module__": __name__,
    },
)


class ClinicSerializer(serializers.Serializer):
    """Present when a clinic serves a library page: the library page and each field's source."""

    site = serializers.CharField(allow_null=True, help_text="The clinic's code, as ?site= takes it.")
    library = PageReferenceSerializer(help_text="The library page whose content this page shows.")
    fields = ClinicFieldsSerializer()


class _PageDetailBase(_PageIdentitySerializer):
    alternates = serializers.DictField(child=serializers.CharField(), help_text="Locale -> path, for hreflang.")
    seo = SeoSerializer()
    parent = PageReferenceSerializer(allow_null=True)
    children = PageReferenceSerializer(many=True)
    meta = PageMetaSerializer()
    structured_data = _schema_field("StructuredDataField", structured_data.SCHEMA)
    clinic = ClinicSerializer(
        allow_null=True,
        help_text="null for a library or site page; for a clinic's page, where its fields came from.",
    )


@cache
def page_serializer(model):
    """The schema of a whole page object of ``model``'s type (component ``ProcedurePage``)."""
    code = model._meta.label
    return type(
        model.__name__,
        (_PageDetailBase,),
        {
            "type": serializers.ChoiceField(choices=[code]),
            "content": content_serializer(model)(),
            "labels": _schema_field(f"{model.__name__}LabelsField", labels.labels_schema(model)),
            "__doc__": (model.__doc__ or "").strip() or None,
            "__module__": __name__,
        },
    )


def polymorphic_page_serializer():
    """A page object of any type; ``type`` says which ``content`` it carries."""
    return PolymorphicProxySerializer(
        component_name="Page",
        serializers={code: page_serializer(model) for code, model in sorted(page_types().items())},
        resource_type_field_name="type",
    )


class PageVersionsSerializer(serializers.Serializer):
    """Every locale's page for one key: what ``/pages/{key}/versions/`` and ``locale=*`` serve."""

    key = serializers.UUIDField(help_text="The translation key.")
    versions = serializers.DictField(
        child=polymorphic_page_serializer(),
        help_text="Requested locale -> the page served for it (with fallback), for every locale that has one.",
    )


def page_or_versions_serializer():
    """A detail answer: a page, or with ``locale=*`` every locale's page (``PageVersions``)."""
    return PolymorphicProxySerializer(
        component_name="PageOrVersions",
        serializers=[polymorphic_page_serializer(), PageVersionsSerializer],
        resource_type_field_name=None,
    )


class LocaleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    default = serializers.BooleanField()
    fallbacks = serializers.ListField(child=serializers.CharField(), help_text="Locales tried, in order.")


class LocaleListSerializer(serializers.Serializer):
    default = serializers.CharField()
    results = LocaleSerializer(many=True)


class InvalidParameterSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()
    allowed = serializers.ListField(child=serializers.CharField(), required=False)


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem document)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParameterSerializer(many=True, required=False)
    retry_after = serializers.IntegerField(required=False)
