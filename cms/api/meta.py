"""The ``meta`` object of a page: publishing dates, revision, medical review, translation.

Each section is a small function so that others can extend one without touching the
rest; the translation section reads wagtail-localize's own records.
"""

from django.db import connection
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from cms.review.models import MedicalApproval

from . import tags
from .revisions import revision_of
from .site_index import remembered


def build_meta(page, *, version, row=None):
    """``meta`` for ``page`` as served in ``version`` ("live" or "draft"); ``row`` is the
    page's site index row when it is public (its revision number, without a query)."""
    return {
        "version": version,
        "revision": revision_of(page, draft=version == "draft", row=row),
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "medical_review": medical_review(page),
        "translation": translation_status(page),
    }


NOT_REVIEWED = {
    "status": "not_reviewed",
    "reviewer": None,
    "qualification": None,
    "registration": None,
    "market": None,
    "approved_at": None,
    "content_hash": None,
    "source_hash": None,
}


def medical_review(page):
    """Who approved the page's live content, for which market, and the hash of what they saw.

    The approval of the live revision (``cms.review``, one query, then kept in the
    process until the page's ``p:`` tag changes: every approval saved or deleted records
    it, ``signals.py``): ``status`` is ``needs_re_review`` when something it covered
    changed since (the approved revision is still the one served). ``reviewed_by`` and
    ``last_reviewed_on`` are the page's own fields, kept for clients that read them.
    """
    if not hasattr(page, "reviewed_by"):
        return None
    approval = remembered(tags.page(page.pk), ("approval", page.live_revision_id), lambda: _approval(page))
    return {"reviewed_by": page.reviewed_by or None, "last_reviewed_on": page.last_reviewed_on, **approval}


def _approval(page):
    if not page.live_revision_id:
        return NOT_REVIEWED
    approval = (
        MedicalApproval.objects.filter(page_id=page.pk, revision_id=page.live_revision_id)
        .select_related("market")
        .first()
    )
    return approval.as_api() if approval is not None else NOT_REVIEWED


def translation_status(page):
    """Where the page's text comes from and how much of it is translated.

    Read once per process and page (:func:`read_translation_status`), then kept until
    the invalidation log names the key's ``t:`` tag: every save of a translation or of
    the translation source records one (``signals.py``).
    """
    status = remembered(
        tags.translation_status(page.translation_key), page.locale_id, lambda: read_translation_status(page)
    )
    return dict(status)


def read_translation_status(page):
    """Where the page's text comes from and how much of it is translated (one query).

    ``source_locale`` is the locale translators work from; ``progress`` is the share
    (0-100) of the source's text segments translated into this page's locale, counted
    as wagtail-localize's ``Translation.get_progress`` counts them. ``stale`` counts
    segments whose source text changed since they were translated (the same place had a
    translation of earlier text), ``machine`` the translated segments a machine made.
    Pages never handled by wagtail-localize report nulls. Written as one SQL statement:
    a page read runs it every time, and building the equivalent ORM query cost more
    than running it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _STATUS_SQL,
            [
                StringTranslation.TRANSLATION_TYPE_MACHINE,
                page.locale_id,
                page.locale_id,
                False,
                _OBJECT_ID.get_db_prep_value(page.translation_key, connection),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return {"source_locale": None, "is_source": None, "progress": None, "stale": None, "machine": None}
    source_locale_id, source_code, total, done, machine, stale = row
    is_source = source_locale_id == page.locale_id
    if is_source:
        return {"source_locale": source_code, "is_source": True, "progress": 100, "stale": 0, "machine": 0}
    progress = 100 if not total else (100 * done) // total
    return {"source_locale": source_code, "is_source": False, "progress": progress, "stale": stale, "machine": machine}


_OBJECT_ID = TranslationSource._meta.get_field("object_id")
_SEGMENTS = StringSegment._meta.db_table
_TRANSLATIONS = StringTranslation._meta.db_table
# One pass over the source's segments, each joined to its current translation into the
# page's locale (at most one: locale, string and context are unique together). Four
# correlated sub-selects gave the same counts but cost PostgreSQL more to plan than to run.
_STATUS_SQL = f"""
SELECT source.locale_id, locale.language_code,
  COUNT(segment.id),
  COUNT(current.id),
  COUNT(current.id) FILTER (WHERE current.translation_type = %s),
  COUNT(segment.id) FILTER (WHERE current.id IS NULL AND EXISTS (
     SELECT 1 FROM {_TRANSLATIONS} earlier
     WHERE earlier.context_id = segment.context_id AND earlier.locale_id = %s
       AND earlier.translation_of_id <> segment.string_id))
FROM {TranslationSource._meta.db_table} source
JOIN {Locale._meta.db_table} locale ON locale.id = source.locale_id
LEFT JOIN {_SEGMENTS} segment ON segment.source_id = source.id
LEFT JOIN {_TRANSLATIONS} current
  ON current.translation_of_id = segment.string_id AND current.context_id = segment.context_id
 AND current.locale_id = %s AND current.has_error = %s
WHERE source.object_id = %s
GROUP BY source.id, source.locale_id, locale.language_code
ORDER BY source.id
"""
