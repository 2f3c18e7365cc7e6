"""What the delivery app stores: the change feed and webhook endpoints with their log."""

from .changes import ChangeEvent, ContentChange
from .webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = ["ChangeEvent", "ContentChange", "DeliveryStatus", "WebhookDelivery", "WebhookEndpoint"]
