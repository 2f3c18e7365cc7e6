"""Template filters for previews: words for the codes the API serves.

The API serves codes (``dermatologist``, ``before``) and lets each front-end choose
its words; a preview stands in for a front-end and uses the project's own labels, in
the language active while rendering (the page's).
"""

import inspect

from django import template
from django.db import models
from django.utils.formats import number_format

from pages import choices
from pages.public import UNIT_LABELS

register = template.Library()


def _labels():
    found = {}
    for _name, enum in inspect.getmembers(choices, inspect.isclass):
        if issubclass(enum, models.TextChoices) and enum is not models.TextChoices:
            for code, label in enum.choices:
                found.setdefault(code, label)
    return found


CODE_LABELS = _labels()


@register.filter
def label(code):
    """“dermatologist” -> “Dermatologue” in a French preview; unknown codes as they are."""
    return str(CODE_LABELS.get(code, code))


@register.filter
def labels(codes):
    return ", ".join(label(code) for code in codes or ())


@register.filter
def range_text(value):
    """``{"min": 10, "max": 20, "unit": "min"}`` -> “10–20 minutes”; “0,5–2,5 mm” in French."""
    if not value:
        return ""
    low, high = number_format(value.get("min")), number_format(value.get("max"))
    number = low if low == high else f"{low}–{high}"
    return f"{number} {UNIT_LABELS.get(value.get('unit'), value.get('unit') or '')}".strip()


@register.filter
def largest_rendition(image):
    renditions = (image or {}).get("renditions") or {}
    if not renditions:
        return None
    return renditions[max(renditions, key=int)]
