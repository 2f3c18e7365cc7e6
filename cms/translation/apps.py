from django.apps import AppConfig


class TranslationConfig(AppConfig):
    """Translator packages (XLIFF, PO), translation status and machine translation."""

    name = "cms.translation"
    label = "cms_translation"
    verbose_name = "Translation"
