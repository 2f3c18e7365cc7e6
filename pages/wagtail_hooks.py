from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from pages.models import Clinic
from pages.snippets import Device


class DeviceViewSet(SnippetViewSet):
    model = Device
    icon = "cog"
    menu_label = _("Devices")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "setting", "locale"]
    list_filter = ["kind", "setting", "locale"]
    search_fields = ["name"]


register_snippet(DeviceViewSet)


class ClinicViewSet(SnippetViewSet):
    model = Clinic
    icon = "site"
    menu_label = _("Clinics")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "slug", "site", "locales"]
    search_fields = ["name", "slug"]


register_snippet(ClinicViewSet)
