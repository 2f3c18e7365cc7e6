"""Forms of the admin's "Translation packages" screen."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Locale, Page
from wagtail.permissions import page_permission_policy

from .collect import SCOPES
from .importer import max_package_bytes

FORMAT_CHOICES = [
    ("xliff2", _("XLIFF 2.0 (most CAT tools)")),
    ("xliff12", _("XLIFF 1.2 (older CAT tools)")),
    ("po", _("PO (Poedit, Weblate, gettext)")),
]
SCOPE_LABELS = {
    "all": _("All segments"),
    "untranslated": _("Untranslated segments only"),
    "stale": _("Stale segments only (source changed since translated)"),
}


def _locale_choices(locales=None):
    """Locales one translates into: ``locales`` (default: every locale), less the source (default) one."""
    locales = Locale.objects.all() if locales is None else locales
    locales = locales.exclude(pk=Locale.get_default().pk)
    return [(locale.language_code, locale.get_display_name()) for locale in locales.order_by("language_code")]


def may_publish_somewhere(user):
    """Whether to offer "Publish": only to users with Wagtail's publish permission on some pages."""
    return user is not None and page_permission_policy.user_has_permission(user, "publish")


class ExportForm(forms.Form):
    """What a translator downloads: locales, file format, which segments and which part of the site."""

    locales = forms.MultipleChoiceField(
        label=_("Locales"), widget=forms.CheckboxSelectMultiple, help_text=_("Several locales download as a zip.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    scope = forms.ChoiceField(label=_("Segments"), choices=[(scope, SCOPE_LABELS[scope]) for scope in SCOPES])
    root = forms.ModelChoiceField(
        label=_("Only this page and its subpages"),
        queryset=Page.objects.filter(depth__gt=1),
        required=False,
        widget=AdminPageChooser(),
    )

    def __init__(self, *args, locales=None, **kwargs):
        """``locales``: the ones the user may translate into (default: every locale)."""
        super().__init__(*args, **kwargs)
        self.fields["locales"].choices = _locale_choices(locales)


class ImportForm(forms.Form):
    """A package coming back from a translator; checked in a dry run before anything changes."""

    file = forms.FileField(label=_("XLIFF or PO file"))
    locale = forms.ChoiceField(
        label=_("Locale the file must be for"),
        required=False,
        help_text=_("Optional: refuse the file if it is for another locale."),
    )
    publish = forms.BooleanField(
        label=_("Publish the updated pages"),
        required=False,
        help_text=_("Otherwise the pages get a draft for review."),
    )

    def __init__(self, *args, user=None, locales=None, **kwargs):
        """``locales``: the ones the user may translate into (default: every locale)."""
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = [("", _("Any")), *_locale_choices(locales)]
        if not may_publish_somewhere(user):
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_package_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)d bytes; packages may be at most %(limit)d bytes.")
                % {"size": upload.size, "limit": limit}
            )
        return upload
