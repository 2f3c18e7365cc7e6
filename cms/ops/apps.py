from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health probes, request logs, metrics, error reporting and retention."""

    name = "cms.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.core.signals import request_finished

        from .logs import configure_structlog
        from .request_log import forget_request_id

        configure_structlog()
        request_finished.connect(forget_request_id, dispatch_uid="cms.ops.forget_request_id")
