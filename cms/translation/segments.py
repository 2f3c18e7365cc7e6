"""Where each translatable segment of a page stands in one locale.

wagtail-localize never updates a translation in place when the source text changes:
re-extracting the source (``TranslationSource.update_from_db``: the admin's "Sync
translated pages", and here also every publish of a source page, see
``cms.translation.signals``) points the segment at a new ``String``, and the translator's old
``StringTranslation`` stays behind, attached to the old ``String`` at the same
``TranslationContext`` (the segment's location: a field, a block, a rich text field).

So a segment is *stale* when its current string has no translation in the locale but
an earlier string at the same location had one: the translated page still shows text
translated from an older source. That earlier translation is kept as the *previous
translation*, which translators see as a reference when they update the segment.

A rich text field holds several segments (one per paragraph) at one location. There,
each changed paragraph is paired with the left-over translation whose source text is
most like its own; a paragraph that resembles none of them is new, not stale.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from wagtail_localize.models import StringSegment, StringTranslation

TRANSLATED = "translated"
STALE = "stale"
UNTRANSLATED = "untranslated"

# How alike (0..1) an edited paragraph and a left-over paragraph of the same rich text
# field must be to count as the same paragraph edited. Low on purpose: a rewording
# keeps many words; an unrelated paragraph shares few.
SAME_PARAGRAPH_SIMILARITY = 0.4


@dataclass(frozen=True)
class StoredTranslation:
    """A translation as wagtail-localize stores it, with the source text it translates."""

    id: int
    text: str
    source_text: str
    machine: bool
    tool_name: str
    updated_at: object


@dataclass(frozen=True)
class SegmentStatus:
    """One translatable unit of a source page, in one target locale.

    ``translation`` is the translation of the current source text (None unless
    ``state`` is ``translated``); ``previous`` is the translation of an earlier source
    text at the same place (set when ``state`` is ``stale``).
    """

    segment_id: int
    source_id: int
    context_id: int
    location: str  # the segment's content path, e.g. "summary" or "steps.<block id>.title"
    string_id: int
    order: int
    source_text: str
    state: str
    translation: StoredTranslation | None = None
    previous: StoredTranslation | None = None

    @property
    def is_stale(self):
        return self.state == STALE

    @property
    def is_machine_translated(self):
        """True when the translation in use came from a machine translator."""
        return self.translation is not None and self.translation.machine


def _stored(row):
    return StoredTranslation(
        id=row["id"],
        text=row["data"],
        source_text=row["translation_of__data"],
        machine=row["translation_type"] == StringTranslation.TRANSLATION_TYPE_MACHINE,
        tool_name=row["tool_name"],
        updated_at=row["updated_at"],
    )


def fetch_segment_statuses(source_ids, locale_id):
    """Segment statuses of many sources in one locale, in two queries.

    Returns ``{source_id: [SegmentStatus, ...]}`` in page order. Sources without
    string segments are absent.
    """
    segments = list(
        StringSegment.objects.filter(source_id__in=source_ids)
        .order_by("source_id", "order", "id")
        .values(
            "id", "source_id", "source__object_id", "context_id", "context__path", "string_id", "order", "string__data"
        )
    )
    if not segments:
        return {}
    object_ids = {row["source__object_id"] for row in segments}
    # Translations with an error are not used on the page (wagtail-localize skips them).
    translations = (
        StringTranslation.objects.filter(locale_id=locale_id, context__object_id__in=object_ids, has_error=False)
        .order_by("updated_at", "id")
        .values(
            "id",
            "context_id",
            "translation_of_id",
            "translation_of__data",
            "data",
            "translation_type",
            "tool_name",
            "updated_at",
        )
    )
    by_context = {}
    for row in translations:
        by_context.setdefault(row["context_id"], {})[row["translation_of_id"]] = _stored(row)

    segments_by_context = {}
    for row in segments:
        segments_by_context.setdefault((row["source_id"], row["context_id"]), []).append(row)

    statuses = {}
    for (_source, context_id), rows in segments_by_context.items():
        for status in _classify_location(rows, by_context.get(context_id, {})):
            statuses[status.segment_id] = status
    result = {}
    for row in segments:
        result.setdefault(row["source_id"], []).append(statuses[row["id"]])
    return result


def _classify_location(rows, translations):
    """Classify the segments at one location, given that location's translations
    (``{string_id: StoredTranslation}``, oldest first)."""
    current_strings = {row["string_id"] for row in rows}
    # Newest first, so a location edited twice offers its latest translation.
    leftovers = [t for string_id, t in reversed(translations.items()) if string_id not in current_strings]
    untranslated = [row for row in rows if row["string_id"] not in translations]
    previous = _pair_with_leftovers(untranslated, leftovers, single_text=len(rows) == 1)
    for row in rows:
        common = {
            "segment_id": row["id"],
            "source_id": row["source_id"],
            "context_id": row["context_id"],
            "location": row["context__path"],
            "string_id": row["string_id"],
            "order": row["order"],
            "source_text": row["string__data"],
        }
        if row["string_id"] in translations:
            yield SegmentStatus(state=TRANSLATED, translation=translations[row["string_id"]], **common)
        elif row["id"] in previous:
            yield SegmentStatus(state=STALE, previous=previous[row["id"]], **common)
        else:
            yield SegmentStatus(state=UNTRANSLATED, **common)


def _pair_with_leftovers(untranslated, leftovers, *, single_text):
    """``{segment_id: StoredTranslation}`` for untranslated segments that replace an
    earlier, translated text at the same location."""
    if not untranslated or not leftovers:
        return {}
    if single_text:
        # The location holds one text (a plain field or a block's field): its latest
        # old translation is the previous one, however much the wording changed.
        return {untranslated[0]["id"]: leftovers[0]}
    candidates = sorted(
        (
            (SequenceMatcher(None, row["string__data"], old.source_text).ratio(), index, row["id"], old)
            for index, row in enumerate(untranslated)
            for old in leftovers
        ),
        key=lambda item: (-item[0], item[1]),
    )
    paired, used = {}, set()
    for similarity, _index, segment_id, old in candidates:
        if similarity < SAME_PARAGRAPH_SIMILARITY:
            break
        if segment_id in paired or old.id in used:
            continue
        paired[segment_id] = old
        used.add(old.id)
    return paired
