"""Admin screens: webhook endpoints (managed by developers) and the delivery log.

An endpoint bound to a clinic's site is that clinic's: its staff see and change only
their clinics' endpoints and deliveries (``cms.security.admin``).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.security.admin import ClinicScopedViewSet
from cms.security.clinic_scope import access_for

from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The log records what happened: it can be looked at, never edited or deleted."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(WebhookDelivery, ReadOnlyPermissionPolicy(WebhookDelivery))


class WebhookEndpointViewSet(ClinicScopedViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Endpoints")
    form_fields = ["name", "site", "url", "events", "locales", "active", "secret"]
    list_display = ["name", "site", "url", "active"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    copy_view_enabled = False


def _endpoints_of_user(request):
    if request is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(access_for(request.user).site_q())


class WebhookDeliveryFilterSet(WagtailFilterSet):
    """The log's filters; the endpoint filter names only the user's clinics' endpoints."""

    status = django_filters.ChoiceFilter(label=_("status"), choices=DeliveryStatus.choices)
    event = django_filters.ChoiceFilter(label=_("event"), choices=WebhookDelivery._meta.get_field("event").choices)
    locale = django_filters.CharFilter(label=_("locale"))
    endpoint = django_filters.ModelChoiceFilter(label=_("endpoint"), queryset=_endpoints_of_user)

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event", "locale", "endpoint"]


class WebhookDeliveryViewSet(ClinicScopedViewSet):
    model = WebhookDelivery
    clinic_site_field = "endpoint__site"
    icon = "list-ul"
    menu_label = _("Delivery log")
    form_fields = []
    list_display = ["endpoint", "event", "locale", "status", "attempts", "response_status", "created_at"]
    filterset_class = WebhookDeliveryFilterSet
    inspect_view_enabled = True
    inspect_view_fields = [
        "endpoint",
        "event",
        "key",
        "locale",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "body",
    ]
    copy_view_enabled = False


class WebhooksGroup(ModelViewSetGroup):
    menu_label = _("Webhooks")
    menu_icon = "link-external"
    menu_order = 900
    items = (WebhookEndpointViewSet, WebhookDeliveryViewSet)


@hooks.register("register_admin_viewset")
def register_webhooks_admin():
    return WebhooksGroup()
