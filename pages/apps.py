from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The content model: what a clinic page is."""

    name = "pages"
    verbose_name = _("Clinic pages")

    def ready(self):
        from django.db.models.signals import post_migrate

        from pages.locales import sync_locales

        post_migrate.connect(sync_locales, sender=self)
