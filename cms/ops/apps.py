from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health probes, request logs, metrics, error reporting and retention."""

    name = "cms.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from .logs import configure_structlog

        configure_structlog()
