"""API keys in the Wagtail admin (Settings > API keys).

Creating a key shows it once, on the page that follows; afterwards only its prefix is
visible. Untick "active" to revoke a key. A clinic's staff see and make only keys bound
to their clinic's site (``cms.security.admin``).
"""

from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from cms.security.admin import ClinicScopedViewSet

from .models import ApiKey, generate_raw_key, hash_key


class ApiKeyCreateView(ModelViewSet.add_view_class):
    def save_instance(self):
        raw_key, prefix = generate_raw_key()
        instance = self.form.save(commit=False)
        instance.prefix = prefix
        instance.hashed_key = hash_key(raw_key)
        instance.created_by = self.request.user
        instance.save()
        self.raw_key = raw_key
        return instance

    def get_success_message(self, instance):
        return None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.warning(
            self.request,
            format_html(
                "{} <code>{}</code>",
                _("Copy this API key now; it will not be shown again:"),
                self.raw_key,
            ),
        )
        return response


class ApiKeyViewSet(ClinicScopedViewSet):
    model = ApiKey
    icon = "key"
    menu_label = _("API keys")
    add_to_settings_menu = True
    add_view_class = ApiKeyCreateView
    form_fields = ["name", "site", "scopes", "rate", "is_active"]
    list_display = ["name", "prefix", "site", "scopes", "rate", "is_active", "created_at", "revoked_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]


api_key_viewset = ApiKeyViewSet("api_keys")


@hooks.register("register_admin_viewset")
def register_api_key_viewset():
    return api_key_viewset
