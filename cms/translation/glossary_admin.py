"""Settings › Glossary: the termbase per locale pair, edited in the admin (``cms.translation.glossary``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import GlossaryTerm


class GlossaryViewSet(ModelViewSet):
    model = GlossaryTerm
    icon = "openquote"
    menu_label = _("Glossary")
    add_to_settings_menu = True
    form_fields = ["source_locale", "target_locale", "source_term", "target_term", "note"]
    list_display = ["source_term", "target_term", "target_locale", "note"]
    list_filter = ["source_locale", "target_locale"]
    search_fields = ["source_term", "target_term"]
    list_export = ["source_locale", "target_locale", "source_term", "target_term", "note"]
    export_filename = "glossary"
