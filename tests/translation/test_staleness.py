"""What counts as a stale translation: shared by translation packages and the status report."""

import pytest
from wagtail_localize.models import StringSegment, TranslationSource

from cms.translation.staleness import annotate_translation_state, stale_segments


def sync(page):
    page.save_revision().publish()
    TranslationSource.update_or_create_from_instance(page)
    return TranslationSource.objects.get_for_instance(page)


@pytest.mark.django_db
def test_changed_text_is_stale_and_carries_its_previous_translation(clinic):
    procedure = clinic["procedure"]
    procedure.also_known_as = "Collagen induction treatment"
    source = sync(procedure)

    (segment,) = stale_segments(source, clinic["fr"])
    assert segment.string.data == "Collagen induction treatment"
    assert segment.previous_translation == "Collagen induction therapy [fr]"


@pytest.mark.django_db
def test_a_new_paragraph_beside_translated_ones_is_untranslated_not_stale(clinic):
    procedure = clinic["procedure"]
    procedure.what_it_is += "<p>A new paragraph.</p>"
    source = sync(procedure)

    assert list(stale_segments(source, clinic["fr"])) == []
    states = {
        s.string.data: (s.translation, s.is_stale)
        for s in annotate_translation_state(StringSegment.objects.filter(source=source), clinic["fr"].pk)
    }
    assert states["A new paragraph."] == (None, False)
    assert states["Needling"] == ("Needling [fr]", False)
