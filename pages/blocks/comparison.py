"""Blocks of the device comparison page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class DeviceEntryBlock(blocks.StructBlock):
    """A device (a column of the comparison) with an optional remark for this page."""

    device = SnippetChooserBlock(
        "pages.Device",
        label=_("Device"),
        help_text=_("e.g. “Professional microneedling pen”. Edit its facts in Devices."),
    )
    remark = blocks.CharBlock(
        label=_("Remark"),
        required=False,
        max_length=200,
        help_text=_("e.g. “Only in a clinic, by a trained practitioner”"),
    )

    class Meta:
        icon = "cog"
        label = _("Device")
        preview_value = {"device": None, "remark": "Only in a clinic, by a trained practitioner"}
