"""The ``meta`` object of a page: publishing dates, revision, medical review, translation.

Each section is a small function so that others can extend one without touching the
rest; the translation section reads wagtail-localize's own records.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource


def build_meta(page, *, version):
    """``meta`` for ``page`` as served in ``version`` ("live" or "draft")."""
    return {
        "version": version,
        "revision": page.latest_revision_id if version == "draft" else page.live_revision_id,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "medical_review": medical_review(page),
        "translation": translation_status(page),
    }


def medical_review(page):
    """Who reviewed the page's medical facts and when, for pages that record it."""
    if not hasattr(page, "reviewed_by"):
        return None
    return {"reviewed_by": page.reviewed_by or None, "last_reviewed_on": page.last_reviewed_on}


def translation_status(page):
    """Where the page's text comes from and how much of it is translated (one query).

    ``source_locale`` is the locale translators work from; ``progress`` is the share
    (0-100) of the source's text segments translated into this page's locale, as
    wagtail-localize counts it. Pages never handled by wagtail-localize report nulls.
    """
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=page.locale_id,
        has_error=False,
    )
    segments = StringSegment.objects.filter(source_id=OuterRef("pk"))
    source = (
        TranslationSource.objects.filter(object_id=page.translation_key)
        .annotate(
            total=Coalesce(
                Subquery(
                    segments.order_by().values("source_id").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            done=Coalesce(
                Subquery(
                    segments.filter(Exists(translated))
                    .order_by()
                    .values("source_id")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        .values("locale_id", "locale__language_code", "total", "done")
        .order_by("pk")
        .first()
    )
    if source is None:
        return {"source_locale": None, "is_source": None, "progress": None}
    is_source = source["locale_id"] == page.locale_id
    if is_source or not source["total"]:
        progress = 100
    else:
        progress = round(100 * source["done"] / source["total"])
    return {"source_locale": source["locale__language_code"], "is_source": is_source, "progress": progress}
