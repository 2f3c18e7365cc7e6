from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Export bundles, the change feed, webhooks and CDN purge."""

    name = "cms.delivery"
    label = "cms_delivery"
    verbose_name = "Delivery"

    def ready(self):
        from django.db.models.signals import pre_delete

        from cms.api.invalidation import changes_committed

        from . import recording  # noqa: F401  (connects the signal receivers)
        from .atomic_actions import make_actions_atomic
        from .cdn import purge_committed_change
        from .models import WebhookEndpoint
        from .webhooks.counts import keep_counts_of_endpoint

        make_actions_atomic()
        changes_committed.connect(purge_committed_change, dispatch_uid="cms-delivery-cdn-purge")
        pre_delete.connect(keep_counts_of_endpoint, sender=WebhookEndpoint, dispatch_uid="cms-delivery-keep-counts")
