"""Admin hooks of the "Translation packages" screen and its menu item, shown to translators.

Imported by cms/translation/wagtail_hooks.py, where Wagtail looks for hooks."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import can_use_translation_packages


@hooks.register("register_admin_urls")
def register_translation_package_urls():
    return [path("translation-packages/", include(admin_urls, namespace="translation_packages"))]


class TranslatorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_translation_packages(request.user)


@hooks.register("register_admin_menu_item")
def register_translation_packages_menu_item():
    return TranslatorMenuItem(
        _("Translation packages"),
        reverse("translation_packages:index"),
        name="translation-packages",
        icon_name="download",
        order=850,
    )
