"""Stale segments: what changed in the source since it was translated, and what the
translator had written for the old text."""

import pytest
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from cms.translation.segments import STALE, TRANSLATED, UNTRANSLATED
from cms.translation.staleness import annotate_translation_state
from cms.translation.status import is_machine_translated, is_stale, segment_statuses, stale_segments
from pages.snippets import Device
from tests.translation.builders_status import (
    edit_source,
    english_home,
    locales,
    procedure_page,
    translate_into,
    translate_segments,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated():
    """A procedure page fully translated into French by a person."""
    _en, fr = locales("en", "fr")
    home = english_home()
    translate_into(home, fr)
    page = procedure_page(home)
    source = translate_into(page, fr)
    translate_segments(source, fr)
    return {"fr": fr, "page": page, "source": source}


def by_text(statuses):
    return {status.source_text: status for status in statuses.values()}


def test_changed_field_is_stale_with_its_previous_translation(translated):
    source = edit_source(translated["page"], summary="Fine needles start the skin's own repair.")
    stale = stale_segments(source, translated["fr"])
    assert len(stale) == 1
    (summary,) = stale
    assert summary.source_text == "Fine needles start the skin's own repair."
    assert summary.previous.text == "FR Tiny needles prompt the skin to make collagen."
    assert summary.previous.source_text == "Tiny needles prompt the skin to make collagen."
    assert summary.translation is None


def test_unchanged_segments_keep_their_translation(translated):
    before = {
        status.context_id: status.translation.id
        for status in segment_statuses(translated["source"], translated["fr"]).values()
    }
    source = edit_source(translated["page"], summary="Fine needles start the skin's own repair.")
    after = segment_statuses(source, translated["fr"]).values()
    kept = {status.context_id: status.translation.id for status in after if status.state == TRANSLATED}
    assert len(kept) == len(before) - 1
    assert all(before[context] == translation for context, translation in kept.items())


def test_edited_paragraph_is_paired_with_its_own_old_translation(translated):
    source = edit_source(
        translated["page"],
        what_it_is="<p>A minimally invasive treatment.</p><p>It makes very tiny punctures in the skin.</p>",
    )
    statuses = by_text(segment_statuses(source, translated["fr"]))
    assert statuses["A minimally invasive treatment."].state == TRANSLATED
    edited = statuses["It makes very tiny punctures in the skin."]
    assert edited.state == STALE
    assert edited.previous.text == "FR It makes tiny punctures."


def test_new_paragraph_beside_an_edited_one_is_untranslated_not_stale(translated):
    source = edit_source(
        translated["page"],
        what_it_is=(
            "<p>A minimally invasive cosmetic treatment.</p><p>It makes tiny punctures.</p>"
            "<p>Results build over several months.</p>"
        ),
    )
    statuses = by_text(segment_statuses(source, translated["fr"]))
    assert statuses["A minimally invasive cosmetic treatment."].state == STALE
    assert statuses["A minimally invasive cosmetic treatment."].previous.text == "FR A minimally invasive treatment."
    assert statuses["It makes tiny punctures."].state == TRANSLATED
    assert statuses["Results build over several months."].state == UNTRANSLATED


def test_new_step_is_untranslated_and_edited_step_is_stale(translated):
    page = translated["page"].specific
    steps = list(page.steps.raw_data)
    steps[1]["value"]["description"] = "A pen passes over the skin in several directions."
    steps.append({"type": "step", "value": {"title": "Serum", "description": "A soothing serum is applied."}})
    source = edit_source(page, steps=steps)
    statuses = by_text(segment_statuses(source, translated["fr"]))
    assert statuses["A pen passes over the skin in several directions."].state == STALE
    assert (
        statuses["A pen passes over the skin in several directions."].previous.text
        == "FR A pen or roller is passed over the skin."
    )
    assert statuses["Serum"].state == UNTRANSLATED
    assert statuses["A soothing serum is applied."].state == UNTRANSLATED


def test_segment_changed_twice_offers_the_latest_translation(translated):
    fr = translated["fr"]
    source = edit_source(translated["page"], summary="Second wording.")
    translate_segments(source, fr, prefix="FR2 ")
    source = edit_source(translated["page"], summary="Third wording.")
    (stale,) = stale_segments(source, fr)
    assert stale.previous.text == "FR2 Second wording."


def test_retranslating_a_stale_segment_makes_it_current(translated):
    fr = translated["fr"]
    source = edit_source(translated["page"], summary="Fine needles start the skin's own repair.")
    translate_segments(source, fr)
    assert stale_segments(source, fr) == []


def test_unit_functions_for_packages(translated):
    fr = translated["fr"]
    source = edit_source(translated["page"], summary="Fine needles start the skin's own repair.")
    summary = StringSegment.objects.get(source=source, context__path="summary")
    title = StringSegment.objects.get(source=source, context__path="title")
    assert is_stale(summary, fr) is True
    assert is_stale(title, fr) is False
    assert is_machine_translated(title, fr) is False

    StringTranslation.objects.filter(translation_of=title.string, locale=fr).update(translation_type="machine")
    assert is_machine_translated(title, fr) is True
    assert is_machine_translated(summary, fr) is False  # no translation in use at all


def test_publishing_the_source_is_enough_to_mark_changes_stale(translated):
    """No "Sync translated pages" needed: publishing the English page refreshes its source."""
    page = translated["page"].specific
    page.summary = "Fine needles start the skin's own repair."
    page.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(page)
    (stale,) = stale_segments(source, translated["fr"])
    assert stale.source_text == "Fine needles start the skin's own repair."
    # The French page itself is untouched until a translator publishes it.
    assert page.get_translation(translated["fr"]).specific.summary == "Tiny needles prompt the skin to make collagen."


def test_saving_a_draft_does_not_touch_the_translation_source(translated):
    page = translated["page"].specific
    page.summary = "A draft nobody approved yet."
    page.save_revision()
    assert stale_segments(TranslationSource.objects.get_for_instance(page), translated["fr"]) == []


def test_saving_an_english_device_marks_its_changed_text_stale():
    en, fr = locales("en", "fr")
    pen = Device.objects.create(
        name="Clinic pen",
        kind="pen",
        setting="clinic",
        depth="deep_dermis",
        visible_results="marked",
        sterilisation="single_use",
        operated_by=["dermatologist"],
        locale=en,
    )
    source = translate_into(pen, fr)
    translate_segments(source, fr)
    pen.name = "Clinic microneedling pen"
    pen.save()
    (stale,) = stale_segments(source, fr)
    assert (stale.location, stale.previous.text) == ("name", "FR Clinic pen")


def test_republishing_unchanged_text_keeps_the_source_date(translated):
    source = translated["source"]
    before = TranslationSource.objects.get(pk=source.pk).last_updated_at
    translated["page"].specific.save_revision().publish()
    assert TranslationSource.objects.get(pk=source.pk).last_updated_at == before


def test_packages_and_status_agree_on_fields_and_blocks(translated):
    """Translator packages read staleness through ``cms.translation.staleness`` (one SQL
    annotation); status through ``segment_statuses``. Where a location holds one text
    (fields, block fields: all but rich text) they must name the same segments."""
    page = translated["page"].specific
    steps = list(page.steps.raw_data)
    steps[0]["value"]["title"] = "A numbing cream goes on first"
    source = edit_source(page, summary="Fine needles start the skin's own repair.", steps=steps)
    fr = translated["fr"]
    from_status = {
        s.segment_id: (s.is_stale, s.previous and s.previous.text) for s in segment_statuses(source, fr).values()
    }
    from_packages = {
        segment.pk: (segment.is_stale, segment.previous_translation if segment.is_stale else None)
        for segment in annotate_translation_state(StringSegment.objects.filter(source=source), fr.pk)
        if segment.context.path != "what_it_is"
    }
    assert from_packages == {pk: state for pk, state in from_status.items() if pk in from_packages}
    assert sum(stale for stale, _previous in from_packages.values()) == 2
