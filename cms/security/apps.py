from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cms.security"
    label = "cms_security"
    verbose_name = _("Security")

    def ready(self):
        # Connects the receiver that gives a new clinic its groups.
        from cms.security import signals  # noqa: F401
