from django.apps import AppConfig


class TranslationConfig(AppConfig):
    """Translator packages (XLIFF, PO), translation status and machine translation."""

    name = "cms.translation"
    label = "cms_translation"
    verbose_name = "Translation"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_save, pre_save
        from wagtail.models import DraftStateMixin, Page, TranslatableMixin
        from wagtail.signals import page_published
        from wagtail_localize.models import StringTranslation

        from pages.snippets import Device

        from .signals import hold_back_flagged_text, on_page_published, on_snippet_saved, on_string_translation_saved

        page_published.connect(on_page_published, dispatch_uid="cms_translation_refresh_source_on_publish")
        post_save.connect(
            on_string_translation_saved, sender=StringTranslation, dispatch_uid="cms_translation_check_and_remember"
        )
        post_save.connect(on_snippet_saved, sender=Device, dispatch_uid="cms_translation_refresh_device_source")
        # Translated snippets without drafts (Device) go live as they are saved.
        for model in apps.get_models():
            if issubclass(model, TranslatableMixin) and not issubclass(model, (Page, DraftStateMixin)):
                pre_save.connect(
                    hold_back_flagged_text, sender=model, dispatch_uid=f"cms_translation_hold_{model._meta.label}"
                )
