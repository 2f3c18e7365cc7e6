"""Blocks of the benefits page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from pages.choices import Concern, Evidence


class ConcernBlock(blocks.StructBlock):
    """A skin or hair concern the procedure can help with, and how well that is known."""

    concern = blocks.ChoiceBlock(
        choices=Concern.choices,
        label=_("Concern"),
        help_text=_("The code apps filter on, e.g. “Scars”."),
    )
    description = blocks.TextBlock(
        label=_("How it helps"),
        help_text=_("e.g. “New collagen makes acne scars shallower and less visible.”"),
    )
    evidence = blocks.ChoiceBlock(
        choices=Evidence.choices,
        label=_("Evidence"),
        default=Evidence.PRACTICE,
        help_text=_("How well this is known, e.g. “Supported by clinical studies” for acne scars."),
    )
    evidence_note = blocks.TextBlock(
        label=_("Evidence note"),
        required=False,
        help_text=_("e.g. “Studies report hair regrowth in people with alopecia.”"),
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Concern treated")
        preview_value = {
            "concern": "scars",
            "description": "New collagen makes scars shallower and less visible.",
            "evidence": "studies",
            "evidence_note": "",
        }
