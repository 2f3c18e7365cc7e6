"""Serializers that document (and for content, render) the API's JSON.

Page content serializers are generated per page type from ``public_fields``
(``content.py``); this module holds the shapes around them: references, meta, images,
ranges, the device comparison matrix, listings and the polymorphic page object whose
``type`` selects its ``content`` component.
"""

from functools import cache

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from pages import public
from pages.snippets import Device

from .content import content_serializer
from .images import RENDITION_WIDTHS
from .types import page_types


class RangeSerializer(serializers.Serializer):
    """A fact with bounds, e.g. a session of 10–20 minutes: ``{"min": 10, "max": 20, "unit": "min"}``."""

    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    unit = serializers.ChoiceField(choices=sorted(public.UNIT_LABELS), help_text="Unit code, e.g. min, day, mm.")


class RenditionSerializer(serializers.Serializer):
    url = serializers.CharField()
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


class MatrixValueField(serializers.Field):
    """One cell: a range, a code, a list of codes or text (per the row's ``type``), or null."""


class ComparisonDeviceSerializer(serializers.Serializer):
    """A column of the comparison."""

    key = serializers.UUIDField(help_text="The device's translation key, the same in every locale.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Device._meta.get_field("kind").choices)
    setting = serializers.ChoiceField(choices=Device._meta.get_field("setting").choices)
    remark = serializers.CharField(allow_blank=True)


class ComparisonRowSerializer(serializers.Serializer):
    """A row: one attribute across every device, values in column order."""

    attribute = serializers.ChoiceField(choices=list(Device.comparison_attributes))
    type = serializers.ChoiceField(
        choices=["range", "choice", "choices", "text"],
        help_text="range: {min,max,unit}; choice: a code; choices: a list of codes; text: translated prose.",
    )
    unit = serializers.ChoiceField(choices=sorted(public.UNIT_LABELS), allow_null=True)
    values = serializers.ListField(child=MatrixValueField(allow_null=True))


class ComparisonLabelsSerializer(serializers.Serializer):
    """Localised names, kept apart from the codes so an app can use its own."""

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
    rows = ComparisonRowSerializer(many=True)
    labels = ComparisonLabelsSerializer()


# --- Page objects -----------------------------------------------------------------------


def _type_field():
    return serializers.ChoiceField(choices=sorted(page_types()), help_text="The page type, e.g. pages.ProcedurePage.")


class PageReferenceSerializer(serializers.Serializer):
    """Another public page this one mentions."""

    key = serializers.UUIDField()
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="The page type, e.g. pages.ProcedurePage.")
    locale = serializers.CharField()
    title = serializers.CharField()
    path = serializers.CharField(allow_null=True)


class MedicalReviewSerializer(serializers.Serializer):
    reviewed_by = serializers.CharField(allow_null=True)
    last_reviewed_on = serializers.DateField(allow_null=True)


class TranslationStatusSerializer(serializers.Serializer):
    source_locale = serializers.CharField(allow_null=True, help_text="The locale translators work from.")
    is_source = serializers.BooleanField(allow_null=True)
    progress = serializers.IntegerField(allow_null=True, min_value=0, max_value=100, help_text="Percent translated.")


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

    type = serializers.SerializerMethodField()
    parent = serializers.UUIDField(allow_null=True, help_text="The parent's key, if public.")
    meta = PageSummaryMetaSerializer()

    def get_type(self, obj) -> str:
        return obj["type"]


class PageListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = PageSummarySerializer(many=True)


class _PageDetailBase(_PageIdentitySerializer):
    alternates = serializers.DictField(child=serializers.CharField(), help_text="Locale -> path, for hreflang.")
    parent = PageReferenceSerializer(allow_null=True)
    children = PageReferenceSerializer(many=True)
    meta = PageMetaSerializer()


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
