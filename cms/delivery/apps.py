from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Export bundles, the change feed, webhooks and CDN purge."""

    name = "cms.delivery"
    label = "cms_delivery"
    verbose_name = "Delivery"

    def ready(self):
        from . import recording  # noqa: F401  (connects the signal receivers)
        from .atomic_actions import make_actions_atomic

        make_actions_atomic()
