"""Blocks of the safety checklist page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from pages.choices import ChecklistPhase, Importance


class ChecklistItemBlock(blocks.StructBlock):
    """One thing a client should check, with when, how important, and why."""

    text = blocks.CharBlock(
        label=_("Check"),
        max_length=200,
        help_text=_("e.g. “Ask about the practitioner’s qualifications and experience”"),
    )
    phase = blocks.ChoiceBlock(
        choices=ChecklistPhase.choices,
        label=_("When"),
        help_text=_("e.g. “Before the treatment” for checking qualifications."),
    )
    importance = blocks.ChoiceBlock(
        choices=Importance.choices,
        label=_("Importance"),
        help_text=_("e.g. “Required” for confirming the equipment was sterilised."),
    )
    rationale = blocks.TextBlock(
        label=_("Why it matters"),
        required=False,
        help_text=_("e.g. “Unsterile needles can carry infection into the skin.”"),
    )

    class Meta:
        icon = "warning"
        label = _("Checklist item")
        preview_value = {
            "text": "Confirm that the equipment was sterilised",
            "phase": "before",
            "importance": "required",
            "rationale": "Unsterile needles can carry infection into the skin.",
        }
