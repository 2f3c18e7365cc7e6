"""Translation status: how far each page is translated into each locale.

Used by the ``translation_status`` command, the admin's "Translation status" report, the
delivery API (a summary in each page's ``meta``, the ``require=complete`` filter and the
scoped status endpoint) and translator packages (which segments are stale or
machine-translated). Everything is read from wagtail-localize's own records, so it
agrees with what the translation editor shows.

Per page and locale: how many text segments there are, how many are translated, how
many are stale (translated once, but the source text changed since, see
``cms.translation.segments``), how many of the translations in use came from a machine
translator, how many failed a translation check (``cms.translation.qa``), the percentage
translated and when the page or its translation last changed. The report, the command
and the status endpoint also say where each page stands in medical review
(``cms.review``): approved, needs re-review (an edit, a shown device or a linked
page's title changed since the approval) or not reviewed.

Functions for translator packages (one unit at a time, or one page at a time):

- ``segment_statuses(source, locale)``: every segment of a source with its state,
  current translation and, when stale, its previous translation.
- ``stale_segments(source, locale)``: only the stale ones.
- ``is_stale(segment, locale)`` and ``is_machine_translated(segment, locale)``.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.review.models import MedicalApproval

from .models import QAFlag
from .segments import STALE, TRANSLATED, SegmentStatus, fetch_segment_statuses

# Page states, as the API, the report and the command name them.
COMPLETE = "complete"  # every segment has a translation of its current source text
INCOMPLETE = "incomplete"  # some segments were never translated, none is stale
STALE_STATE = "stale"  # some segments were translated from a source text that changed since
ORIGINAL = "original"  # the page was written in this locale: it is not a translation
INDEPENDENT = "independent"  # translated, then unlinked from its source to be edited on its own
MISSING = "missing"  # no page in this locale yet

STATES = (COMPLETE, INCOMPLETE, STALE_STATE, ORIGINAL, INDEPENDENT, MISSING)
# States an app may show as a finished page in the locale (see ``only_complete``).
USABLE_STATES = (COMPLETE, ORIGINAL, INDEPENDENT)


# --- One unit at a time (translator packages) ------------------------------------------


def segment_statuses(source, locale):
    """``{segment_id: SegmentStatus}`` for every string segment of ``source`` in page
    order. Two queries."""
    statuses = fetch_segment_statuses([source.pk], _locale_id(locale)).get(source.pk, [])
    return {status.segment_id: status for status in statuses}


def stale_segments(source, locale):
    """The stale segments of ``source`` in ``locale``, in page order, each with its
    ``previous`` translation (the text a translator had written for the old source)."""
    return [status for status in segment_statuses(source, locale).values() if status.state == STALE]


def is_stale(segment, locale):
    """True when ``segment`` (a ``StringSegment``) was translated into ``locale`` once
    but its source text changed since."""
    return _status_of(segment, locale).state == STALE


def is_machine_translated(segment, locale):
    """True when the translation of ``segment`` into ``locale`` that the page uses was
    made by a machine translator (wagtail-localize's ``translation_type`` "machine")."""
    return _status_of(segment, locale).is_machine_translated


def _status_of(segment, locale):
    return segment_statuses(segment.source, locale)[segment.pk]


def _locale_id(locale):
    if isinstance(locale, Locale):
        return locale.pk
    if isinstance(locale, str):
        return Locale.objects.get(language_code=locale).pk
    return locale


# --- One page and locale ----------------------------------------------------------------


@dataclass
class PageTranslationStatus:
    """The translation of one page into one locale, as editors and apps see it."""

    translation_key: object
    locale: str
    state: str
    page_id: int | None = None  # the page in this locale, if there is one
    total: int = 0
    translated: int = 0
    stale: int = 0
    machine: int = 0
    flagged: int = 0  # translations in use that failed a check nobody overrode (cms.translation.qa)
    # Medical review of the page in this locale (cms.review.models.ReviewStatus); None when
    # its type needs none, the page is missing, or the caller did not ask (``status_rows`` does).
    review: str | None = None
    source_changed_at: object = None
    translated_at: object = None

    @property
    def untranslated(self):
        return self.total - self.translated - self.stale

    @property
    def percent(self):
        """Whole percent translated, rounded down so that 100 means complete."""
        if self.state in (ORIGINAL, INDEPENDENT):
            return 100
        if self.state == MISSING:
            return 0
        return 100 if not self.total else self.translated * 100 // self.total

    @property
    def last_change(self):
        """When the source or a translation of it last changed, whichever is later."""
        moments = [moment for moment in (self.source_changed_at, self.translated_at) if moment]
        return max(moments) if moments else None

    @property
    def is_complete(self):
        return self.state in USABLE_STATES

    def as_dict(self):
        """JSON-ready summary, as the API's page ``meta`` and the command's JSON show it."""
        return {
            "state": self.state,
            "page_id": self.page_id,
            "complete": self.is_complete,
            "percent": self.percent,
            "segments": {
                "total": self.total,
                "translated": self.translated,
                "stale": self.stale,
                "untranslated": self.untranslated,
                "machine": self.machine,
                "flagged": self.flagged,
            },
            "review": self.review,
            "source_changed_at": _iso(self.source_changed_at),
            "translated_at": _iso(self.translated_at),
            "last_change": _iso(self.last_change),
        }


def _iso(moment):
    return moment.isoformat() if moment else None


def statuses_for_keys(keys, locale, *, pages_in_locale, with_flags=False):
    """``{translation_key: PageTranslationStatus}`` for objects translated into ``locale``.

    ``pages_in_locale``: ``{translation_key: page_id}`` of the pages that exist in
    ``locale`` (a key without one is ``missing``). Three queries, however many keys;
    one more with ``with_flags`` (counts of failed checks, for the report and command).
    """
    locale = locale if isinstance(locale, Locale) else Locale.objects.get(pk=_locale_id(locale))
    keys = list(keys)
    translations = {}
    # Enabled first, so that an object translated from two source locales reports the
    # translation wagtail-localize keeps in sync.
    for row in (
        Translation.objects.filter(source__object_id__in=keys, target_locale=locale)
        .order_by("enabled", "source__last_updated_at")
        .values("enabled", "source_id", "source__object_id", "source__last_updated_at")
    ):
        translations[row["source__object_id"]] = row
    segment_rows = fetch_segment_statuses(
        [row["source_id"] for row in translations.values() if row["enabled"]], locale.pk
    )
    flagged = {}
    if with_flags:
        flagged = _open_flag_counts([key for key, row in translations.items() if row["enabled"]], locale.pk)
    result = {}
    for key in keys:
        row = translations.get(key)
        page_id = pages_in_locale.get(key)
        if page_id is None:
            result[key] = PageTranslationStatus(key, locale.language_code, MISSING)
        elif row is None:
            result[key] = PageTranslationStatus(key, locale.language_code, ORIGINAL, page_id=page_id)
        elif not row["enabled"]:
            result[key] = PageTranslationStatus(
                key,
                locale.language_code,
                INDEPENDENT,
                page_id=page_id,
                source_changed_at=row["source__last_updated_at"],
            )
        else:
            result[key] = _summarise(key, locale.language_code, row, segment_rows.get(row["source_id"], []))
            result[key].page_id = page_id
            result[key].flagged = flagged.get(key, 0)
    return result


def _open_flag_counts(keys, locale_id):
    """``{translation_key: open QA flags}``; no query when there is no translation."""
    if not keys:
        return {}
    rows = (
        QAFlag.objects.filter(
            overridden_at=None, string_translation__locale_id=locale_id, string_translation__context__object_id__in=keys
        )
        .values_list("string_translation__context__object_id")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def _summarise(key, language_code, translation, segments: list[SegmentStatus]):
    translated = [status for status in segments if status.state == TRANSLATED]
    stale = sum(1 for status in segments if status.state == STALE)
    if stale:
        state = STALE_STATE
    elif len(translated) == len(segments):
        state = COMPLETE
    else:
        state = INCOMPLETE
    return PageTranslationStatus(
        translation_key=key,
        locale=language_code,
        state=state,
        total=len(segments),
        translated=len(translated),
        stale=stale,
        machine=sum(1 for status in translated if status.translation.machine),
        source_changed_at=translation["source__last_updated_at"],
        translated_at=max((status.translation.updated_at for status in translated), default=None),
    )


# --- Many pages (API meta, report, command) ---------------------------------------------


def status_summaries(pages, locale=None):
    """``{page_id: summary dict}`` for pages the API serves: each page's translation
    status in ``locale`` (by default, the page's own locale).

    For the delivery API's ``meta``. Four queries per locale involved (three when
    ``locale`` is not given, plus one for the locales), whatever the number of pages,
    segments or translations.
    """
    pages = list(pages)
    if locale is None:
        return summaries_for_served((page.pk, page.translation_key, page.locale_id) for page in pages)
    locale_id = _locale_id(locale)
    keys = {page.translation_key for page in pages}
    statuses = statuses_for_keys(
        keys, Locale.objects.get(pk=locale_id), pages_in_locale=_pages_in_locale(keys, locale_id)
    )
    return {page.pk: statuses[page.translation_key].as_dict() for page in pages}


def summaries_for_served(entries):
    """``{page_id: summary dict}`` from ``(page_id, translation_key, locale)`` triples,
    ``locale`` being a Locale id or language code: for listings that hold rows rather
    than page objects. Keys may be UUIDs or their strings. One query for the locales,
    then three per locale.
    """
    by_locale = {}
    for page_id, key, locale in entries:
        by_locale.setdefault(locale, {})[uuid.UUID(str(key))] = page_id
    if not by_locale:
        return {}
    codes = [locale for locale in by_locale if isinstance(locale, str)]
    ids = [locale for locale in by_locale if not isinstance(locale, str)]
    locales = {}
    for row in Locale.objects.filter(Q(language_code__in=codes) | Q(pk__in=ids)):
        locales[row.pk] = locales[row.language_code] = row
    summaries = {}
    for locale, in_locale in by_locale.items():
        statuses = statuses_for_keys(in_locale, locales[locale], pages_in_locale=in_locale)
        for key, page_id in in_locale.items():
            summaries[page_id] = statuses[key].as_dict()
    return summaries


def _pages_in_locale(keys, locale_id):
    return dict(Page.objects.filter(translation_key__in=keys, locale_id=locale_id).values_list("translation_key", "pk"))


@dataclass
class StatusRow:
    """One line of the status report: a source page and one target locale."""

    page: Page
    status: PageTranslationStatus
    source_review: str | None = None  # medical review of the source page, as ``status.review``

    def as_dict(self):
        """JSON-ready row, as the command's JSON and the status API show it."""
        page = {"key": str(self.page.translation_key), "id": self.page.pk, "title": self.page.title}
        page["path"] = self.page.url_path
        page["review"] = self.source_review
        return {"page": page, "locale": self.status.locale, **self.status.as_dict()}


def status_rows(locales=None, pages=None):
    """The page x locale status matrix for the report and the command.

    Rows for every page written in the default locale (or ``pages``), into every other
    locale (or ``locales``, Locale objects) that the page's clinic serves (a clinic's page
    is never "missing" in a language its website is not in), ordered by page tree then
    locale code, each with the medical review status of the source page and of its
    translation.
    """
    from cms.api.sites import locales_of_page

    default = Locale.get_default()
    if pages is None:
        pages = Page.objects.filter(depth__gt=1, locale=default).order_by("path")
    pages = list(pages)
    if locales is None:
        locales = Locale.objects.exclude(pk=default.pk).order_by("language_code")
    rows = []
    keys = {page.translation_key for page in pages}
    by_locale = {}
    for locale in locales:
        by_locale[locale] = statuses_for_keys(
            keys, locale, pages_in_locale=_pages_in_locale(keys, locale.pk), with_flags=True
        )
    reviews = _review_statuses(pages, by_locale.values())
    for page in pages:
        served = locales_of_page(page.path)
        for locale, statuses in by_locale.items():
            if served is not None and locale.language_code not in served:
                continue
            status = statuses[page.translation_key]
            status.review = reviews.get(status.page_id)
            rows.append(StatusRow(page=page, status=status, source_review=reviews.get(page.pk)))
    return rows


def _review_statuses(pages, statuses_by_locale):
    """``{page id: ReviewStatus}`` of the source pages needing medical review and their
    translations (of the same type). One query."""
    reviewed = {page.pk: page.translation_key for page in pages if _needs_review(page)}
    keys = set(reviewed.values())
    ids = list(reviewed)
    for statuses in statuses_by_locale:
        ids += [status.page_id for key, status in statuses.items() if key in keys and status.page_id]
    return {page_id: status.value for page_id, status in MedicalApproval.objects.review_statuses(ids).items()}


def _needs_review(page):
    return getattr(page.specific_class, "requires_medical_review", False)


# --- Filtering querysets (the API's require=complete) -----------------------------------


def only_complete(pages):
    """Narrow a page queryset to pages whose translation into their own locale is
    complete: originals, independent translations, and translations in which every
    segment translates the current source text (none untranslated, none stale).

    One SQL filter, so the API can paginate and count after it. Agrees with
    ``PageTranslationStatus.is_complete``.
    """
    translation_of_current_text = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=OuterRef(OuterRef("target_locale_id")),
        has_error=False,
    )
    segment_missing_translation = StringSegment.objects.filter(source_id=OuterRef("source_id")).exclude(
        Exists(translation_of_current_text)
    )
    incomplete_translation = Translation.objects.filter(
        source__object_id=OuterRef("translation_key"),
        target_locale_id=OuterRef("locale_id"),
        enabled=True,
    ).filter(Exists(segment_missing_translation))
    return pages.exclude(Exists(incomplete_translation))
