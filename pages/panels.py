"""Admin panels the content model needs beyond Wagtail's own."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.panels import Panel

from pages.public import UNIT_LABELS


class ComparisonMatrixPanel(Panel):
    """A read-only table of the comparison as saved: one row per attribute, one column per
    device, with a link to edit each Device.

    Editors change the devices (columns) and attributes (rows) in the fields above and a
    device's values on the Device itself; this panel shows the result the way apps get it.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "pages/panels/comparison_matrix.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            if not page.pk:
                context["matrix"] = None
                return context
            matrix = page.comparison_matrix()
            devices = [block.value["device"] for block in page.devices if block.value["device"] is not None]
            finder = AdminURLFinder(self.request.user if self.request else None)
            context["matrix"] = matrix
            context["columns"] = [{"name": device.name, "edit_url": finder.get_edit_url(device)} for device in devices]
            context["rows"] = [
                {
                    "label": matrix["labels"]["attributes"][row["attribute"]],
                    "cells": [display_value(row, value, matrix["labels"]) for value in row["values"]],
                }
                for row in matrix["rows"]
            ]
            context["empty_message"] = _("Choose devices above and save a draft to see the comparison.")
            return context


def display_value(row, value, labels):
    """A matrix cell as an editor reads it: “0.5–2.5 mm”, “In a clinic”, “—” when empty."""
    if value in (None, "", []):
        return "—"
    if row["type"] == "range":
        low, high = number_format(value["min"]), number_format(value["max"])
        number = low if low == high else f"{low}–{high}"
        return f"{number} {UNIT_LABELS.get(value['unit'], value['unit'])}"
    names = labels["choices"].get(row["attribute"], {})
    if row["type"] == "choices":
        return ", ".join(str(names.get(code, code)) for code in value)
    if row["type"] == "choice":
        return str(names.get(value, value))
    return value
