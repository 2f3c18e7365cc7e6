"""Blocks every content page uses."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CitationBlock(blocks.StructBlock):
    """A source the medical reviewer can check: a study, guideline or reference page."""

    title = blocks.CharBlock(
        label=_("Title"),
        max_length=300,
        help_text=_("e.g. “Microneedling: a comprehensive review”"),
    )
    publisher = blocks.CharBlock(
        label=_("Publisher or journal"),
        required=False,
        max_length=200,
        help_text=_("e.g. “Dermatologic Surgery”"),
    )
    url = blocks.URLBlock(
        label=_("Link"), required=False, help_text=_("e.g. https://pubmed.ncbi.nlm.nih.gov/… for the study")
    )
    year = blocks.IntegerBlock(
        label=_("Year"), required=False, min_value=1900, max_value=2100, help_text=_("e.g. 2017")
    )

    class Meta:
        icon = "link"
        label = _("Citation")
        preview_value = {
            "title": "Microneedling: a comprehensive review",
            "publisher": "Dermatologic Surgery",
            "url": "https://example.org/microneedling-review",
            "year": 2017,
        }
