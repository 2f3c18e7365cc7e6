"""Model fields the content model needs and Django lacks."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """Several codes from one set of choices, e.g. who may perform a procedure.

    Stored as a JSON list so that it works the same on SQLite and PostgreSQL; edited as
    checkboxes. wagtail-localize synchronises it across locales like any other
    non-text field.
    """

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {code for code, _label in self.item_choices}
        unknown = [code for code in value or [] if code not in allowed]
        if unknown:
            raise ValidationError(
                _("%(values)s is not one of the choices."), params={"values": ", ".join(map(str, unknown))}
            )
        if not self.blank and not value:
            raise ValidationError(_("Choose at least one."))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )
