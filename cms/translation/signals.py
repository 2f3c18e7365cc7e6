"""Keep translation sources in step with the pages and devices they were taken from.

wagtail-localize re-reads a source only when someone clicks "Sync translated pages".
Until then the translation status would call a translation complete although the
English text changed. So when a source page is published (or a source device saved)
with different text, its translation source is refreshed at once: segments whose text
changed turn stale, the rest keep their translations. Translated pages themselves do
not change until a translator (or the sync) publishes them; changes to numbers and
other synchronised fields still travel with the sync, as wagtail-localize intends.

Every saved translation is also checked and remembered (``on_string_translation_saved``).
"""

from django.db import transaction
from wagtail.models import Page
from wagtail_localize.models import TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from . import memory, qa


def _text_of(instance):
    return {
        (segment.path, segment.string.data)
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue)
    }


def refresh_translation_source(instance):
    """Re-extract ``instance``'s translation source when it is the source of
    translations and its text changed."""
    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id, translations__isnull=False
    ).first()
    if source is None:
        return
    if isinstance(instance, Page):
        instance = instance.specific
    stored = set(source.stringsegment_set.values_list("context__path", "string__data"))
    if _text_of(instance) != stored:
        # One transaction: the source and its segments change together, and the
        # invalidation its save records is applied once both are committed.
        with transaction.atomic():
            source.update_from_db()


def on_page_published(sender, instance, **kwargs):
    refresh_translation_source(instance)


def on_snippet_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        refresh_translation_source(instance)


def on_string_translation_saved(sender, instance, raw=False, **kwargs):
    """Every stored translation (editor, machine, import, demo) is checked
    (``cms.translation.qa``); a human one that passes feeds the translation memory."""
    if raw:
        return
    source = qa.source_of(instance)
    problems = qa.record_check(instance, source)
    if not problems and source is not None:
        memory.remember_stored(instance, source.locale_id)
