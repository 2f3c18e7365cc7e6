"""Translation status per page and locale: counts, states, percentage, last change."""

import pytest
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation

from cms.translation.status import (
    COMPLETE,
    INCOMPLETE,
    INDEPENDENT,
    MISSING,
    ORIGINAL,
    STALE_STATE,
    only_complete,
    status_rows,
    status_summaries,
    summaries_for_served,
)
from tests.translation.builders_status import (
    edit_source,
    english_home,
    locales,
    procedure_page,
    translate_into,
    translate_segments,
)

pytestmark = pytest.mark.django_db

SEGMENTS = 9  # title, slug, summary, two paragraphs, two steps of title + description


@pytest.fixture
def site():
    """English home and procedure, both submitted for French; nothing translated yet."""
    en, fr, de = locales("en", "fr", "de")
    home = english_home()
    translate_into(home, fr)
    page = procedure_page(home)
    source = translate_into(page, fr)
    return {"en": en, "fr": fr, "de": de, "home": home, "page": page, "source": source}


def french(page):
    return page.get_translation(page.locale.__class__.objects.get(language_code="fr"))


def test_untranslated_page_counts_every_segment_as_missing(site):
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["state"] == INCOMPLETE
    assert summary["segments"] == {
        "total": SEGMENTS,
        "translated": 0,
        "stale": 0,
        "untranslated": SEGMENTS,
        "machine": 0,
        "flagged": 0,
    }
    assert summary["percent"] == 0
    assert summary["complete"] is False


def test_partly_translated_page_shows_percentage_rounded_down(site):
    translate_segments(site["source"], site["fr"], only=5)
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["segments"]["translated"] == 5
    assert summary["segments"]["untranslated"] == 4
    assert summary["percent"] == 55  # 5/9 = 55.6 %, never rounded up towards "done"


def test_fully_translated_page_is_complete_and_dated(site):
    translate_segments(site["source"], site["fr"])
    latest = StringTranslation.objects.order_by("-updated_at").first().updated_at
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["state"] == COMPLETE
    assert summary["percent"] == 100
    assert summary["complete"] is True
    assert summary["translated_at"] == latest.isoformat()
    assert summary["last_change"] == max(latest, site["source"].last_updated_at).isoformat()


def test_machine_translations_are_counted_apart_from_human_ones(site):
    translate_segments(site["source"], site["fr"], machine=True)
    translate_segments(site["source"], site["fr"], only=2)  # a translator reworks two
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["segments"]["translated"] == SEGMENTS
    assert summary["segments"]["machine"] == SEGMENTS - 2


def test_translation_with_an_error_does_not_count_as_translated(site):
    translate_segments(site["source"], site["fr"])
    broken = StringTranslation.objects.filter(context__path="summary").get()
    broken.data = "<b>unclosed"
    broken.has_error = True
    broken.save()
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["segments"]["translated"] == SEGMENTS - 1
    assert summary["state"] == INCOMPLETE


def test_changed_source_makes_the_page_stale(site):
    translate_segments(site["source"], site["fr"])
    edit_source(site["page"], summary="Fine needles start the skin's own repair.")
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["state"] == STALE_STATE
    assert summary["segments"]["stale"] == 1
    assert summary["segments"]["translated"] == SEGMENTS - 1
    assert summary["complete"] is False


def test_source_page_is_original_and_complete(site):
    summary = status_summaries([site["page"]])[site["page"].pk]
    assert summary["state"] == ORIGINAL
    assert summary["complete"] is True


def test_summary_for_another_locale_reports_missing_page(site):
    summaries = status_summaries([site["page"]], locale=site["de"])
    assert summaries[site["page"].pk]["state"] == MISSING
    assert summaries[site["page"].pk]["percent"] == 0


def test_unlinked_translation_is_independent(site):
    Translation.objects.filter(source=site["source"], target_locale=site["fr"]).update(enabled=False)
    summary = status_summaries([french(site["page"])])[french(site["page"]).pk]
    assert summary["state"] == INDEPENDENT
    assert summary["complete"] is True


def test_summaries_cost_the_same_queries_for_one_page_or_many(site, django_assert_num_queries):
    translate_segments(site["source"], site["fr"], only=3)
    one = [french(site["page"])]
    many = list(Page.objects.filter(locale=site["fr"]).specific())
    assert len(many) == 2
    # The locale, its translations, their segments, the segments' translations.
    with django_assert_num_queries(4):
        status_summaries(one)
    with django_assert_num_queries(4):
        summaries = status_summaries(many)
    assert summaries[french(site["home"]).pk]["state"] == INCOMPLETE


def test_status_rows_cover_every_source_page_and_other_locale(site):
    translate_segments(site["source"], site["fr"])
    rows = status_rows()
    assert [(row.page.pk, row.status.locale, row.status.state) for row in rows] == [
        (site["home"].pk, "de", MISSING),
        (site["home"].pk, "es", MISSING),
        (site["home"].pk, "fr", INCOMPLETE),  # the home's own title and slug are untranslated
        (site["page"].pk, "de", MISSING),
        (site["page"].pk, "es", MISSING),
        (site["page"].pk, "fr", COMPLETE),
    ]


def test_only_complete_keeps_complete_translations_and_originals(site):
    fr_page = french(site["page"])
    fr_home = french(site["home"])
    everything = Page.objects.filter(depth__gt=1)

    assert set(only_complete(everything)) == {site["home"].page_ptr, site["page"].page_ptr}

    translate_segments(site["source"], site["fr"])
    assert fr_page.page_ptr in set(only_complete(everything))
    assert fr_home.page_ptr not in set(only_complete(everything))

    edit_source(site["page"], summary="Fine needles start the skin's own repair.")
    assert fr_page.page_ptr not in set(only_complete(everything))


def test_only_complete_agrees_with_the_summaries(site):
    translate_segments(site["source"], site["fr"], only=4)
    pages = list(Page.objects.filter(depth__gt=1).specific())
    summaries = status_summaries(pages)
    kept = set(only_complete(Page.objects.filter(depth__gt=1)).values_list("pk", flat=True))
    assert kept == {page_id for page_id, summary in summaries.items() if summary["complete"]}


def test_summaries_for_listing_rows_match_the_page_summaries(site, django_assert_num_queries):
    translate_segments(site["source"], site["fr"], only=3)
    pages = list(Page.objects.filter(depth__gt=1).order_by("path"))
    rows = [(page.pk, str(page.translation_key), page.locale.language_code) for page in pages]
    # The locales; English: its translations (none, so nothing more to read);
    # French: translations, segments, segment translations.
    with django_assert_num_queries(5):
        from_rows = summaries_for_served(rows)
    assert from_rows == status_summaries(pages)
    assert {summary["state"] for summary in from_rows.values()} == {ORIGINAL, INCOMPLETE}
