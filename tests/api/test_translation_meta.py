"""The translation summary in a page's meta: progress, stale and machine segments."""

from wagtail_localize.models import StringTranslation

from cms.api.meta import translation_status
from tests.utils import demo_page, publish_reviewed


def test_a_complete_translation_and_its_source(demo):
    assert translation_status(demo_page("microneedling", "fr")) == {
        "source_locale": "en",
        "is_source": False,
        "progress": 100,
        "stale": 0,
        "machine": 0,
    }
    assert translation_status(demo_page("microneedling", "en"))["is_source"] is True


def test_a_changed_source_sentence_shows_as_stale_in_every_locale(demo, django_capture_on_commit_callbacks):
    english = demo_page("microneedling", "en")
    english.also_known_as = "Collagen induction treatment"
    with django_capture_on_commit_callbacks(execute=True):
        publish_reviewed(english)
    for language in ("fr", "de", "es"):
        status = translation_status(demo_page("microneedling", language))
        assert status["stale"] == 1, language
        assert status["progress"] < 100, language


def test_machine_translated_segments_are_counted(demo):
    french = demo_page("microneedling-safety", "fr")
    marked = StringTranslation.objects.filter(locale=french.locale, context__object_id=french.translation_key)[:2]
    StringTranslation.objects.filter(pk__in=[row.pk for row in marked]).update(
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
    )
    assert translation_status(french)["machine"] == 2
