"""Admin screens of records bound to a clinic's site (API keys, webhook endpoints, their logs).

Wagtail's model permissions are global: whoever may change API keys may change every
key. :class:`ClinicScopedViewSet` keeps a clinic's staff to the records bound to their
clinics' sites (``clinic_scope``): the listing shows only those, any other one's edit,
delete, inspect, history or usage screen is a 404 (as if it did not exist), and the
form offers only their sites, a site being required of them. Library staff and
superusers see and bind everything, hub-wide records (no site) included.
"""

from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from .clinic_scope import access_for

SCOPED_VIEWS = (
    "index_view_class",
    "edit_view_class",
    "delete_view_class",
    "inspect_view_class",
    "history_view_class",
    "usage_view_class",
    "copy_view_class",
)


class ClinicBoundForm(WagtailAdminModelForm):
    """A model form whose ``site`` field offers only the sites the user acts for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("site")
        access = access_for(self.for_user) if self.for_user is not None else None
        if field is None or access is None or access.unlimited:
            return
        field.queryset = access.sites().order_by("site_name", "hostname")
        field.required = True
        field.help_text = _("The clinic this belongs to: one of yours.")
        field.error_messages["invalid_choice"] = _(
            "Choose one of your clinics' sites: you may not bind this to another clinic."
        )

    def clean_site(self):
        site = self.cleaned_data.get("site")
        access = access_for(self.for_user) if self.for_user is not None else None
        if access is not None and not access.may_act_for_site(site.pk if site else None):
            raise ValidationError(self.fields["site"].error_messages["invalid_choice"], code="invalid_choice")
        return site


class _ClinicScopedListing:
    """Keeps a listing to the records of the user's clinics."""

    clinic_site_field = "site"

    def get_base_queryset(self):
        return super().get_base_queryset().filter(access_for(self.request.user).site_q(self.clinic_site_field))


class _ClinicScopedObject:
    """Answers 404 for a record of another clinic, as for one that does not exist."""

    clinic_site_field = "site"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        in_scope = access_for(self.request.user).site_q(self.clinic_site_field)
        if not self.model._default_manager.filter(in_scope, pk=obj.pk).exists():
            raise Http404
        return obj


def scoped_view_class(view_class, site_field, *, listing=False):
    mixin = _ClinicScopedListing if listing else _ClinicScopedObject
    return type(view_class.__name__, (mixin, view_class), {"clinic_site_field": site_field})


class ClinicScopedViewSet(ModelViewSet):
    """A ModelViewSet of a model bound to a clinic through ``clinic_site_field``, a Site
    foreign key or a path to one (e.g. ``endpoint__site``)."""

    clinic_site_field = "site"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCOPED_VIEWS:
            view_class = scoped_view_class(
                getattr(self, name), self.clinic_site_field, listing=name == "index_view_class"
            )
            setattr(self, name, view_class)

    def get_form_class(self, for_update=False):
        if self._edit_handler:
            return super().get_form_class(for_update=for_update)
        return modelform_factory(
            self.model,
            form=ClinicBoundForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
            exclude=self.get_exclude_form_fields(),
        )
