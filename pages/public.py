"""Which fields of a page or snippet are public, declared once per model.

Each page type and the Device snippet list their public fields in ``public_fields``.
The delivery API builds its serialiser and its OpenAPI schema from that list, export
bundles reuse the API's output, and range validation reads the ranges from it, so a
field is made public (or validated as a range) in exactly one place.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UNIT_LABELS = {
    "min": _("minutes"),
    "session": _("sessions"),
    "day": _("days"),
    "mm": _("mm"),
}


@dataclass(frozen=True)
class Field:
    """A model field served as it is: text, number, choice code(s), rich text,
    StreamField or image. Its JSON type follows from the model field."""

    name: str


@dataclass(frozen=True)
class Range:
    """A fact with a lower and an upper bound, e.g. 10–20 minutes a session.

    Stored as two model fields, ``<name>_min`` and ``<name>_max``, synchronised across
    locales; served as ``{"min": 10, "max": 20, "unit": "min"}``.
    """

    name: str
    unit: str
    label: str
    example: str = ""

    @property
    def min_field(self):
        return f"{self.name}_min"

    @property
    def max_field(self):
        return f"{self.name}_max"

    def value(self, obj):
        low, high = getattr(obj, self.min_field), getattr(obj, self.max_field)
        if low is None and high is None:
            return None
        return {"min": _plain_number(low), "max": _plain_number(high), "unit": self.unit}

    def errors(self, obj):
        """Editor-facing messages for this range on ``obj``, keyed by model field."""
        low, high = getattr(obj, self.min_field), getattr(obj, self.max_field)
        unit = UNIT_LABELS.get(self.unit, self.unit)
        errors = {}
        for field_name, value in ((self.min_field, low), (self.max_field, high)):
            if value is not None and value <= 0:
                errors[field_name] = _("%(label)s must be more than zero.") % {"label": self.label}
        if (low is None) != (high is None):
            missing = self.max_field if high is None else self.min_field
            errors[missing] = _(
                "%(label)s needs both a minimum and a maximum. For a single value, enter it in both boxes."
            ) % {"label": self.label}
        elif low is not None and high is not None and low > high and not errors:
            values = {"label": self.label, "low": _plain_number(low), "high": _plain_number(high), "unit": unit}
            if self.example:
                message = _(
                    "%(label)s: the minimum (%(low)s %(unit)s) is more than the maximum "
                    "(%(high)s %(unit)s). Put the smaller number first, for example %(example)s."
                ) % {**values, "example": self.example}
            else:
                message = (
                    _(
                        "%(label)s: the minimum (%(low)s %(unit)s) is more than the maximum "
                        "(%(high)s %(unit)s). Put the smaller number first."
                    )
                    % values
                )
            errors[self.min_field] = message
        return errors


@dataclass(frozen=True)
class Derived:
    """A value the model computes (e.g. the device comparison matrix).

    ``method`` names a method of the model that returns plain JSON data; ``serializer``
    is the dotted path of the DRF serializer that documents its shape in the schema;
    ``shows`` names the models (``"pages.Device"``) whose coded fields the value holds,
    so that their labels are served with it.
    """

    name: str
    method: str
    serializer: str
    shows: tuple = ()

    def value(self, obj):
        return getattr(obj, self.method)()


def ranges_of(model):
    return [field for field in getattr(model, "public_fields", ()) if isinstance(field, Range)]


def validate_ranges(obj):
    """Raise one ValidationError naming every broken range of ``obj``."""
    errors = {}
    for declared in ranges_of(type(obj)):
        errors.update(declared.errors(obj))
    if errors:
        raise ValidationError(errors)


def _plain_number(value):
    """Decimals as int or float, so JSON shows 0.5 and 2, not "0.50"."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
