"""Admin screens: webhook endpoints (managed by developers) and the delivery log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import WebhookDelivery, WebhookEndpoint


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The log records what happened: it can be looked at, never edited or deleted."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(WebhookDelivery, ReadOnlyPermissionPolicy(WebhookDelivery))


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Endpoints")
    form_fields = ["name", "url", "site", "events", "locales", "active", "secret"]
    list_display = ["name", "url", "site", "active"]
    list_filter = ["active", "site"]
    search_fields = ["name", "url"]
    copy_view_enabled = False


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Delivery log")
    form_fields = []
    list_display = ["endpoint", "event", "locale", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event", "locale", "endpoint"]
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
