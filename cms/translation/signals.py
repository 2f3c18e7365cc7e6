"""Keep translation sources in step with the pages and devices they were taken from.

wagtail-localize re-reads a source only when someone clicks "Sync translated pages".
Until then the translation status would call a translation complete although the
English page changed. So when a source page is published (or a source device saved)
its translation source is refreshed at once: segments whose text changed turn stale,
the rest keep their translations. Translated pages themselves do not change until a
translator (or the sync) publishes them.
"""

from wagtail.models import Page
from wagtail_localize.models import TranslationSource


def refresh_translation_source(instance):
    """Re-extract ``instance``'s translation source, if it is the source of translations."""
    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id, translations__isnull=False
    ).first()
    if source is not None:
        source.update_from_db()


def on_page_published(sender, instance, **kwargs):
    refresh_translation_source(instance)


def on_snippet_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and not isinstance(instance, Page):
        refresh_translation_source(instance)
