from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "cms.review"
    label = "cms_review"
    verbose_name = _("Editorial review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the receiver that puts new home pages under medical review, and
        # those that audit and void approvals.
        from cms.review import signals, workflow  # noqa: F401
