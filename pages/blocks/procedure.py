"""Blocks of the procedure page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class StepBlock(blocks.StructBlock):
    """One step of the treatment as the client experiences it, in order."""

    title = blocks.CharBlock(label=_("Step"), max_length=120, help_text=_("e.g. “Numbing cream is applied”"))
    description = blocks.TextBlock(
        label=_("What happens"),
        required=False,
        help_text=_("e.g. “The practitioner spreads a numbing cream over the area to be treated.”"),
    )

    class Meta:
        icon = "list-ol"
        label = _("Treatment step")
        preview_value = {
            "title": "Numbing cream is applied",
            "description": "A numbing cream is spread over the area to be treated.",
        }
