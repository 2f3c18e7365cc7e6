"""Keep translation sources in step with the pages and devices they were taken from.

wagtail-localize re-reads a source only when someone clicks "Sync translated pages".
Until then the translation status would call a translation complete although the
English text changed. So when a source page is published (or a source device saved)
with different text, its translation source is refreshed at once: segments whose text
changed turn stale, the rest keep their translations. Translated pages themselves do
not change until a translator (or the sync) publishes them; changes to numbers and
other synchronised fields still travel with the sync, as wagtail-localize intends.

Every saved translation is also checked and remembered (``on_string_translation_saved``),
and a translation that failed a check never reaches a live snippet without drafts
(``hold_back_flagged_text``).
"""

from django.db import transaction
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource
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


def hold_back_flagged_text(sender, instance, raw=False, **kwargs):
    """Keep a translation that failed a check off a live snippet without drafts (a Device).

    wagtail-localize writes every stored translation into the snippet and saves it, and
    for a model without drafts saving is going live: a package import, "Publish" in the
    translation editor, a sync. A field holding a translation with an open check problem
    keeps its live text instead (the source's, when the copy is first made), until the
    text is fixed or a reviewer accepts it (``qa.held_fields``).
    """
    if raw:
        return
    held = qa.held_fields(instance)
    if not held:
        return
    live = _live_copy(sender, instance)
    for name in held:
        setattr(instance, name, getattr(live, name))


def _live_copy(model, instance):
    """The copy of ``instance`` as saved, or its source when the translation is first saved."""
    saved = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    if saved is not None:
        return saved
    translation = Translation.objects.select_related("source").get(
        source__object_id=instance.translation_key, target_locale_id=instance.locale_id, enabled=True
    )
    return translation.source.get_source_instance()
