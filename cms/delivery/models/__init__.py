"""What the delivery app stores: the change feed and webhook endpoints with their log."""

from .changes import ChangeEvent, ContentChange, FeedPrune
from .webhooks import DeliveryStatus, RemovedDeliveries, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ChangeEvent",
    "ContentChange",
    "FeedPrune",
    "DeliveryStatus",
    "RemovedDeliveries",
    "WebhookDelivery",
    "WebhookEndpoint",
]
