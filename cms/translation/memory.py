"""Translation memory: every human translation, reusable on any page of any type.

wagtail-localize reuses a translation only for the same text at the same place of the
same object. A clinic writes the same sentences on many pages ("Avoid sun exposure for
48 hours."), so each human translation saved (editor, import, demo) is remembered per
locale pair with the kind of field it came from (``summary``, ``steps.step.title``):

- a *100% match* is the same source text in the same kind of field;
- a *fuzzy match* is a similar text (rapidfuzz's ``fuzz.ratio``, 0..100) of at least
  ``FUZZY_THRESHOLD``, or the same text in another kind of field.

Matches are suggestions: ``pretranslate`` stores 100% matches as translations that need
review (wagtail-localize's "machine" type, tool "Translation memory"), never as final.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from .models import MemoryEntry, text_digest

FUZZY_THRESHOLD = 75
# Stored in StringTranslation.tool_name, so not translated.
MEMORY_TOOL = "Translation memory (100% match)"
# Segments that are identifiers rather than prose.
NOT_REMEMBERED = {"slug"}


@dataclass(frozen=True)
class Match:
    """A remembered translation for a segment; ``exact`` for a 100% match."""

    score: float
    exact: bool
    source_text: str
    target_text: str
    field_kind: str

    def as_dict(self):
        return {
            "score": self.score,
            "exact": self.exact,
            "source": self.source_text,
            "target": self.target_text,
            "field_kind": self.field_kind,
        }


def field_kind(context):
    """The kind of field of a TranslationContext: its field path without block ids."""
    return context.field_path or context.path


def _locale_id(locale):
    if isinstance(locale, Locale):
        return locale.pk
    if isinstance(locale, str):
        return Locale.objects.get(language_code=locale).pk
    return locale


def remember(source_locale, target_locale, kind, source_text, target_text):
    """Store (or update) one human translation."""
    if kind in NOT_REMEMBERED or not source_text.strip() or not target_text.strip():
        return None
    entry, _created = MemoryEntry.objects.update_or_create(
        source_locale_id=_locale_id(source_locale),
        target_locale_id=_locale_id(target_locale),
        field_kind=kind,
        source_digest=text_digest(source_text),
        defaults={"source_text": source_text, "target_text": target_text},
    )
    return entry


def remember_stored(string_translation, source_locale_id):
    """Feed the memory from a saved StringTranslation, if a person wrote it."""
    if string_translation.translation_type != StringTranslation.TRANSLATION_TYPE_MANUAL:
        return None
    return remember(
        source_locale_id,
        string_translation.locale_id,
        field_kind(string_translation.context),
        string_translation.translation_of.data,
        string_translation.data,
    )


def rebuild():
    """Remember every human translation wagtail-localize stores (e.g. after installing the
    memory on a site with translations). Returns how many were remembered."""
    sources = dict(TranslationSource.objects.values_list("object_id", "locale_id").order_by("-created_at"))
    count = 0
    rows = StringTranslation.objects.filter(translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL, has_error=False)
    for row in rows.select_related("context", "translation_of").iterator():
        source_locale_id = sources.get(row.context.object_id)
        if source_locale_id is not None and remember_stored(row, source_locale_id) is not None:
            count += 1
    return count


class MemoryIndex:
    """The memory of one locale pair, loaded once for many look-ups (an export, a page)."""

    def __init__(self, source_locale, target_locale):
        rows = MemoryEntry.objects.for_pair(_locale_id(source_locale), _locale_id(target_locale)).values_list(
            "source_text", "target_text", "field_kind"
        )
        self.entries = list(rows)
        self.exact = {(text, kind): target for text, target, kind in self.entries}
        self.texts = [text for text, _target, _kind in self.entries]

    def matches(self, source_text, kind, limit=5):
        """Best first: the 100% match if any, then fuzzy matches of at least FUZZY_THRESHOLD."""
        found = []
        if (source_text, kind) in self.exact:
            found.append(Match(100.0, True, source_text, self.exact[(source_text, kind)], kind))
        for _text, score, index in process.extract(
            source_text, self.texts, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=limit + 1
        ):
            text, target, other_kind = self.entries[index]
            if (text, other_kind) != (source_text, kind):
                found.append(Match(round(score, 1), False, text, target, other_kind))
        return found[:limit]


def matches(source_text, kind, source_locale, target_locale, limit=5):
    """Matches for one segment: ``[Match]``, best first (see ``MemoryIndex.matches``)."""
    return MemoryIndex(source_locale, target_locale).matches(source_text, kind, limit=limit)


def pretranslate(translation, user=None):
    """Fill a Translation's untranslated segments from 100% matches, as translations that
    need review. Returns how many segments were filled."""
    index = MemoryIndex(translation.source.locale_id, translation.target_locale_id)
    translated = set(
        StringTranslation.objects.filter(
            locale_id=translation.target_locale_id, context__object_id=translation.source.object_id
        ).values_list("translation_of_id", "context_id")
    )
    filled = 0
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string", "context"):
        if (segment.string_id, segment.context_id) in translated:
            continue
        target = index.exact.get((segment.string.data, field_kind(segment.context)))
        if target is None:
            continue
        StringTranslation.objects.create(
            translation_of_id=segment.string_id,
            context_id=segment.context_id,
            locale_id=translation.target_locale_id,
            data=target,
            translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
            tool_name=MEMORY_TOOL,
            last_translated_by=user,
        )
        filled += 1
    return filled
