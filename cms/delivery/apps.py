from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Export bundles, the change feed, webhooks and CDN purge."""

    name = "cms.delivery"
    label = "cms_delivery"
    verbose_name = "Delivery"
