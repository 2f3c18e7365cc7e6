"""Enumerations of the content model.

The stored value is a stable code that apps can switch on (``dermatologist``, ``before``);
the label is what people read, translated with the project's own catalogues and written
in sentence case. :data:`LABEL_SETS` names each enumeration once: the API serves a page's
codes with the labels of their set under that name (``labels.concern.acne``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Practitioner(models.TextChoices):
    DERMATOLOGIST = "dermatologist", _("Dermatologist")
    AESTHETICIAN = "aesthetician", _("Aesthetician")
    SELF = "self", _("The client, at home")


class DeviceKind(models.TextChoices):
    PEN = "pen", _("Pen (motorised)")
    ROLLER = "roller", _("Roller")


class DeviceSetting(models.TextChoices):
    CLINIC = "clinic", _("In a clinic")
    HOME = "home", _("At home")


class Depth(models.TextChoices):
    SURFACE = "surface", _("Skin surface only")
    UPPER_DERMIS = "upper_dermis", _("Upper dermis")
    DEEP_DERMIS = "deep_dermis", _("Deeper dermis")


class ResultVisibility(models.TextChoices):
    SUBTLE = "subtle", _("Subtle")
    MODERATE = "moderate", _("Moderate")
    MARKED = "marked", _("Marked")


class Sterilisation(models.TextChoices):
    SINGLE_USE = "single_use", _("Sterile single-use needles")
    CLINICAL = "clinical", _("Sterilised by the clinic between clients")
    USER_CLEANED = "user_cleaned", _("Cleaned by the user; no reliable sterilisation")


class ChecklistPhase(models.TextChoices):
    BEFORE = "before", _("Before the treatment")
    DURING = "during", _("During the treatment")
    AFTER = "after", _("After the treatment")


class Importance(models.TextChoices):
    REQUIRED = "required", _("Required")
    RECOMMENDED = "recommended", _("Recommended")


class Concern(models.TextChoices):
    ACNE = "acne", _("Acne")
    HAIR_LOSS = "hair_loss", _("Hair loss (alopecia)")
    HYPERPIGMENTATION = "hyperpigmentation", _("Dark spots and hyperpigmentation")
    ENLARGED_PORES = "enlarged_pores", _("Enlarged pores")
    REDUCED_ELASTICITY = "reduced_elasticity", _("Reduced elasticity")
    SCARS = "scars", _("Scars")
    STRETCH_MARKS = "stretch_marks", _("Stretch marks")
    SUN_DAMAGE = "sun_damage", _("Sun damage")
    FINE_LINES = "fine_lines", _("Fine lines and wrinkles")


class Evidence(models.TextChoices):
    STUDIES = "studies", _("Supported by clinical studies")
    EMERGING = "emerging", _("Early or limited evidence")
    PRACTICE = "practice", _("Reported in clinical practice")


# Every enumeration the API serves, by the name its labels go under. A field or block
# whose choices are one of these is recognised by its codes (each set's codes differ).
LABEL_SETS = {
    "practitioner": Practitioner,
    "device_kind": DeviceKind,
    "device_setting": DeviceSetting,
    "depth": Depth,
    "result_visibility": ResultVisibility,
    "sterilisation": Sterilisation,
    "checklist_phase": ChecklistPhase,
    "importance": Importance,
    "concern": Concern,
    "evidence": Evidence,
}
_SET_BY_CODES = {frozenset(choices.values): name for name, choices in LABEL_SETS.items()}
assert len(_SET_BY_CODES) == len(LABEL_SETS), "two label sets have the same codes"


def label_set_of(choices):
    """The name in :data:`LABEL_SETS` of a field's or block's ``choices``, or None."""
    codes = frozenset(code for code, _label in choices if code != "")
    return _SET_BY_CODES.get(codes)
