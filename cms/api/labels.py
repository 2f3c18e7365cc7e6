"""``labels``: the words for every code a page's JSON can hold, in the locale asked for.

Codes stay codes in ``content`` (``performed_by: ["dermatologist"]``) so that apps can
switch on them; each page object also carries ``labels``, keyed by the set's name in
``pages.choices.LABEL_SETS`` (``labels.practitioner.dermatologist``) plus ``unit`` for
the units of ranges. Which sets a page type needs follows from its ``public_fields``:
model fields and stream blocks with choices, ranges, and the models a derived value
shows (the comparison's devices). Each set is served whole, so the block depends only
on the page type and the locale. Labels are sentence case; unit names are written to
follow a number ("10–20 minutes").
"""

from functools import cache

from django.apps import apps
from django.utils import translation
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.snippets.blocks import SnippetChooserBlock

from pages import public
from pages.choices import LABEL_SETS, label_set_of
from pages.fields import ChoiceListField

UNIT = "unit"


@cache
def label_sets_of(model):
    """The names of the label sets ``model``'s public JSON can use, in a stable order."""
    found = set()
    _collect_model(model, found)
    order = [*LABEL_SETS, UNIT]
    return tuple(name for name in order if name in found)


def labels_for(model, language_code):
    """``{set: {code: label}}`` for ``model``'s sets, in ``language_code``."""
    with translation.override(language_code):
        labels = {}
        for name in label_sets_of(model):
            if name == UNIT:
                labels[UNIT] = {code: str(label) for code, label in public.UNIT_LABELS.items()}
            else:
                labels[name] = {code: str(capfirst(label)) for code, label in LABEL_SETS[name].choices}
        return labels


def labels_schema(model):
    """JSON schema of ``labels`` for ``model``: every set it uses, each with every code."""
    properties = {}
    for name in label_sets_of(model):
        codes = list(public.UNIT_LABELS) if name == UNIT else list(LABEL_SETS[name].values)
        properties[name] = {
            "type": "object",
            "properties": {code: {"type": "string"} for code in codes},
            "required": codes,
            "additionalProperties": False,
        }
    return {
        "type": "object",
        "description": "Code -> label for every code this page type's JSON can hold, by set, in the locale asked for.",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _collect_model(model, found):
    for declared in getattr(model, "public_fields", ()):
        if isinstance(declared, public.Range):
            found.add(UNIT)
        elif isinstance(declared, public.Derived):
            for label in declared.shows:
                _collect_model(apps.get_model(label), found)
        else:
            _collect_field(model._meta.get_field(declared.name), found)


def _collect_field(model_field, found):
    if isinstance(model_field, ChoiceListField):
        _add(model_field.item_choices, found)
    elif isinstance(model_field, StreamField):
        _collect_block(model_field.stream_block, found)
    elif model_field.choices:
        _add(model_field.choices, found)


def _collect_block(block, found):
    if isinstance(block, blocks.ChoiceBlock):
        _add(block.field.choices, found)
    elif isinstance(block, SnippetChooserBlock):
        _collect_model(block.target_model, found)
    elif isinstance(block, blocks.StreamBlock | blocks.StructBlock):
        for child in block.child_blocks.values():
            _collect_block(child, found)
    elif isinstance(block, blocks.ListBlock):
        _collect_block(block.child_block, found)


def _add(choices, found):
    name = label_set_of(choices)
    if name is not None:
        found.add(name)
