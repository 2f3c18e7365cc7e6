"""Which segments of a page have a translation that no longer fits its source text.

wagtail-localize keys a translation on (source string, context, locale). When an editor
changes a sentence and the translation source is synced, the field (context) gets a new
source string, and the old translation stays behind, attached to the old string. The
segment is then untranslated, but a translator did translate this field once: the
translation is *stale*, and the old text is the best starting point for the new one.

These helpers answer that from wagtail-localize's own rows, so the translation packages
and the translation status report agree on what "stale" means.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from wagtail_localize.models import StringSegment, StringTranslation


def _orphaned_translations_in_context(locale_id):
    """Translations into the locale made in the segment's field for a string the source no longer uses."""
    still_used = StringSegment.objects.filter(
        source_id=OuterRef(OuterRef("source_id")),
        context_id=OuterRef(OuterRef("context_id")),
        string_id=OuterRef("translation_of_id"),
    )
    return (
        StringTranslation.objects.filter(context_id=OuterRef("context_id"), locale_id=locale_id)
        .exclude(Exists(still_used))
        .order_by("-updated_at")
    )


def annotate_translation_state(segments, locale_id):
    """Annotate StringSegments with what a translator needs to know about them in one locale.

    Adds ``translation`` (current text, errors included), ``translation_has_error``,
    ``translation_type``, ``translation_tool``, ``previous_translation`` (the newest
    translation of text this field used to have), ``previous_source`` (that text) and ``is_stale`` (no current
    translation, but a previous one exists). One query, however many segments.
    """
    current = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"), context_id=OuterRef("context_id"), locale_id=locale_id
    )
    orphaned = _orphaned_translations_in_context(locale_id)
    return segments.annotate(
        translation=Subquery(current.values("data")[:1]),
        translation_has_error=Subquery(current.values("has_error")[:1]),
        translation_type=Subquery(current.values("translation_type")[:1]),
        translation_tool=Subquery(current.values("tool_name")[:1]),
        previous_translation=Subquery(orphaned.values("data")[:1]),
        previous_source=Subquery(orphaned.values("translation_of__data")[:1]),
        is_stale=ExpressionWrapper(~Exists(current) & Exists(orphaned), output_field=BooleanField()),
    )


def stale_segments(source, locale):
    """The StringSegments of a TranslationSource whose translation into ``locale`` is stale."""
    return annotate_translation_state(StringSegment.objects.filter(source=source), locale.pk).filter(is_stale=True)


def untranslated_q():
    """Filter for annotated segments still waiting for a usable translation (stale ones included)."""
    return Q(translation__isnull=True) | Q(translation_has_error=True)


def is_machine_translated(translation_type):
    """True when wagtail-localize recorded the translation as made by a machine translator."""
    return translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
