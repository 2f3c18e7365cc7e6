from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The delivery API under /api/v1/."""

    name = "cms.api"
    label = "cms_api"
    verbose_name = "Delivery API"

    def ready(self):
        from . import checks, schema, signals  # noqa: F401 - checks and schema register themselves

        signals.connect()
