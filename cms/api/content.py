"""A page type's ``content``, built from its ``public_fields`` declaration and nothing else.

:func:`content_serializer` turns a model's declaration into a DRF serializer class; the
same class renders the JSON and, through drf-spectacular, becomes the type's own schema
component (``ProcedurePageContent``). How each kind of model field is served:

- text -> string; a field with choices -> enum of codes; ``ChoiceListField`` -> array of codes
- ``RichTextField`` -> HTML with internal links resolved (see ``richtext.py``)
- ``StreamField`` -> typed array of blocks (see ``blocks.py``)
- an image foreign key -> ``Image`` (renditions, width, height, alt from ``<name>_alt``)
- ``public.Range`` -> ``{min, max, unit}``; ``public.Derived`` -> its own serializer
"""

import threading
from functools import cache

from django.db import models
from django.utils.module_loading import import_string
from rest_framework import serializers
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage

from pages import public
from pages.fields import ChoiceListField

from . import blocks as block_json
from . import richtext


class _ContentField(serializers.Field):
    """Read-only field whose value needs the page's RenderContext (``context["render"]``)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        # DRF deep-copies a serializer's fields for every instance, arguments included;
        # here those are block definitions and declarations, which never change.
        return self.__class__(*self._args, **self._kwargs)

    @property
    def render_context(self):
        return self.context["render"]


class RichTextContentField(_ContentField):
    def to_representation(self, value):
        return richtext.render(value, self.render_context)


class StreamContentField(_ContentField):
    """A StreamField; its schema comes from ``stream_block`` (see schema.py)."""

    def __init__(self, stream_block, **kwargs):
        self.stream_block = stream_block
        super().__init__(**kwargs)

    def to_representation(self, value):
        return block_json.stream_value(value, self.render_context)


class ImageContentField(_ContentField):
    """An image foreign key; the alt text is the model's ``<name>_alt`` field when it has one."""

    def __init__(self, image_field, **kwargs):
        self.image_field = image_field
        kwargs.setdefault("source", "*")
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        image = getattr(obj, self.image_field)
        alt = getattr(obj, f"{self.image_field}_alt", None)
        return self.render_context.image(image, alt=alt)


class RangeContentField(_ContentField):
    """A ``public.Range``: ``{min, max, unit}`` or null when neither bound is set."""

    def __init__(self, declared, **kwargs):
        self.declared = declared
        kwargs.setdefault("source", "*")
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return self.declared.value(obj)


class DerivedContentField(_ContentField):
    """A ``public.Derived`` value; documented by the serializer the declaration names."""

    def __init__(self, declared, **kwargs):
        self.declared = declared
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    @property
    def serializer_class(self):
        return import_string(self.declared.serializer)

    def to_representation(self, obj):
        return self.declared.value(obj)


class ContentSerializer(serializers.Serializer):
    """Base of the generated content serializers (read-only)."""

    declared_model = None


_FLOAT_FIELDS = (models.DecimalField, models.FloatField)


def field_for(model, declared):
    """The DRF field that serves one declared public field."""
    if isinstance(declared, public.Range):
        return RangeContentField(declared, help_text=str(declared.label))
    if isinstance(declared, public.Derived):
        return DerivedContentField(declared)
    model_field = model._meta.get_field(declared.name)
    help_text = str(model_field.help_text) if model_field.help_text else None
    nullable = model_field.null
    if isinstance(model_field, RichTextField):
        return RichTextContentField(help_text=help_text)
    if isinstance(model_field, StreamField):
        return StreamContentField(model_field.stream_block, help_text=help_text)
    if isinstance(model_field, models.ForeignKey) and issubclass(model_field.related_model, AbstractImage):
        return ImageContentField(declared.name, help_text=help_text)
    if isinstance(model_field, ChoiceListField):
        return serializers.ListField(
            child=serializers.ChoiceField(choices=model_field.item_choices), read_only=True, help_text=help_text
        )
    if model_field.choices:
        return serializers.ChoiceField(
            choices=model_field.choices,
            read_only=True,
            allow_null=nullable,
            allow_blank=model_field.blank,
            help_text=help_text,
        )
    if isinstance(model_field, _FLOAT_FIELDS):
        return serializers.FloatField(read_only=True, allow_null=nullable, help_text=help_text)
    if isinstance(model_field, models.BooleanField):
        return serializers.BooleanField(read_only=True, help_text=help_text)
    if isinstance(model_field, models.IntegerField):
        return serializers.IntegerField(read_only=True, allow_null=nullable, help_text=help_text)
    if isinstance(model_field, models.DateTimeField):
        return serializers.DateTimeField(read_only=True, allow_null=nullable, help_text=help_text)
    if isinstance(model_field, models.DateField):
        return serializers.DateField(read_only=True, allow_null=nullable, help_text=help_text)
    return serializers.CharField(read_only=True, allow_null=nullable, allow_blank=True, help_text=help_text)


@cache
def content_serializer(model):
    """The serializer class for ``model``'s public fields (built once per model).

    Its name (``ProcedurePageContent``, ``DeviceContent``) is the schema component's name.
    Translatable snippets also carry their ``key`` so that apps can match them across locales.
    """
    fields = {}
    if not hasattr(model, "path") and hasattr(model, "translation_key"):
        fields["key"] = serializers.UUIDField(source="translation_key", read_only=True)
    for declared in model.public_fields:
        fields[declared.name] = field_for(model, declared)
    name = f"{model.__name__}Content"
    return type(
        name,
        (ContentSerializer,),
        {**fields, "declared_model": model, "__doc__": (model.__doc__ or "").strip() or None, "__module__": __name__},
    )


_bound = threading.local()


def render_content(obj, render_context):
    """The ``content`` object of ``obj`` (a page or a snippet).

    DRF deep-copies a serializer's fields for every new instance, which cost more than
    rendering them; each thread keeps one bound serializer per model instead and hands
    it the page's render context.
    """
    serializers_by_model = getattr(_bound, "serializers", None)
    if serializers_by_model is None:
        serializers_by_model = _bound.serializers = {}
    model = type(obj)
    serializer = serializers_by_model.get(model)
    if serializer is None:
        serializer = serializers_by_model[model] = content_serializer(model)()
    outer = getattr(serializer, "_context", {})  # set while a same-model object is rendering
    serializer._context = {"render": render_context}
    try:
        return serializer.to_representation(obj)
    finally:
        serializer._context = outer
