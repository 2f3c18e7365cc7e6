"""Translation memory: fed by every human translation, across pages and page types;
100% and fuzzy matches; shown in the admin; exchanged as TMX 1.4b."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree
from translate.storage.tmx import tmxfile
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from cms.translation import memory
from cms.translation.models import MemoryEntry
from pages.models import SafetyChecklistPage
from tests.translation.conftest import build_procedure, translate

SUMMARY = "Sessions last 10–20 minutes; 4–6 sessions are usually needed."


def fr_memory(clinic):
    return memory.MemoryIndex(clinic["en"], clinic["fr"])


@pytest.mark.django_db
class TestFeeding:
    def test_human_translations_are_remembered_with_their_kind_of_field(self, clinic):
        entry = MemoryEntry.objects.get(source_text=SUMMARY, target_locale=clinic["fr"])
        assert (entry.field_kind, entry.target_text) == ("summary", f"{SUMMARY} [fr]")
        assert not MemoryEntry.objects.filter(field_kind="slug").exists()

    def test_machine_translations_are_not_remembered(self, clinic):
        segment_text = "Needling"
        row = StringTranslation.objects.get(translation_of__data=segment_text, locale=clinic["fr"])
        row.data, row.translation_type = "Machine text", StringTranslation.TRANSLATION_TYPE_MACHINE
        row.save()
        assert MemoryEntry.objects.get(source_text=segment_text).target_text == "Needling [fr]"

    def test_rebuild_refills_from_stored_translations(self, clinic):
        count = MemoryEntry.objects.count()
        MemoryEntry.objects.all().delete()
        assert memory.rebuild() == count


@pytest.mark.django_db
class TestMatching:
    def test_exact_needs_the_same_text_and_kind_of_field(self, clinic):
        found = fr_memory(clinic).matches(SUMMARY, "summary")
        assert found[0].exact and found[0].score == 100 and found[0].target_text == f"{SUMMARY} [fr]"
        elsewhere = fr_memory(clinic).matches(SUMMARY, "steps.step.description")
        assert elsewhere and not any(match.exact for match in elsewhere)

    def test_fuzzy_matches_have_a_score_of_at_least_75(self, clinic):
        found = memory.matches("Sessions last 10–30 minutes; 4–6 sessions are usually needed.", "summary", "en", "fr")
        assert [(m.exact, m.source_text) for m in found] == [(False, SUMMARY)]
        assert 75 <= found[0].score < 100
        assert memory.matches("Something else entirely.", "summary", "en", "fr") == []

    def test_memory_reaches_other_pages_and_page_types(self, clinic):
        checklist = SafetyChecklistPage(title="Before your session", slug="before", summary=SUMMARY)
        clinic["procedure"].add_child(instance=checklist)
        checklist.save_revision().publish()
        source, _created = TranslationSource.get_or_create_from_instance(checklist)
        translation = Translation.objects.create(source=source, target_locale=clinic["fr"])
        assert memory.pretranslate(translation) >= 1
        row = StringTranslation.objects.get(context__object_id=checklist.translation_key, context__path="summary")
        assert row.data == f"{SUMMARY} [fr]"
        # A suggestion to review, not a final translation.
        assert (row.translation_type, row.tool_name) == ("machine", memory.MEMORY_TOOL)

    def test_admin_shows_matches_for_a_segment(self, clinic, client, django_user_model):
        other = build_procedure(clinic["home"], title="Dermaplaning", slug="dermaplaning")
        translation = translate(other, clinic["de"])
        client.force_login(django_user_model.objects.create_superuser("a", "a@example.org", "pw"))
        segment = translation.source.stringsegment_set.get(context__path="summary")
        fr = translate(other, clinic["fr"])
        html = client.get(reverse("cms_translation_memory", args=[fr.pk]), {"segment": segment.pk}).content.decode()
        assert "100% match" in html and f"{SUMMARY} [fr]" in html


# LISA's TMX 1.4b DTD, as published with the standard.
TMX_DTD = Path(__file__).parent / "data" / "tmx" / "tmx14.dtd"


def tmx_dtd_errors(data):
    """What the TMX 1.4b DTD finds wrong in ``data`` (empty: valid), read without the network."""
    dtd = etree.DTD(str(TMX_DTD))
    document = etree.parse(BytesIO(data), etree.XMLParser(no_network=True, resolve_entities=False))
    return [] if dtd.validate(document) else [str(error) for error in dtd.error_log]


def export_tmx(tmp_path, target="fr"):
    path = tmp_path / f"memory-{target}.tmx"
    call_command("translation_memory", "--export", "tmx", "--target", target, "--out", str(path))
    return path


def memory_rows():
    return sorted(
        MemoryEntry.objects.values_list("source_locale", "target_locale", "field_kind", "source_text", "target_text")
    )


@pytest.mark.django_db
class TestTMX:
    def test_translate_toolkit_reads_our_export(self, clinic, tmp_path):
        store = tmxfile.parsestring(export_tmx(tmp_path).read_bytes())
        units = {unit.source: unit.target for unit in store.units}
        assert units[SUMMARY] == f"{SUMMARY} [fr]"
        assert len(units) == MemoryEntry.objects.filter(target_locale=clinic["fr"]).count()

    def test_the_export_validates_against_the_tmx_dtd_and_reads_back(self, clinic, tmp_path):
        # Markup, entities' characters and an empty kind of field travel as text.
        memory.remember(
            clinic["en"], clinic["fr"], "", 'Fish & "chips" <b>now</b> 🙂', "Poisson & « frites » <b>maintenant</b> 🙂"
        )
        data = export_tmx(tmp_path).read_bytes()

        assert tmx_dtd_errors(data) == []
        assert etree.parse(BytesIO(data)).docinfo.system_url == "tmx14.dtd"
        store = tmxfile.parsestring(data)
        units = {unit.source: unit.target for unit in store.units}
        assert units == {
            entry.source_text: entry.target_text for entry in MemoryEntry.objects.filter(target_locale=clinic["fr"])
        }
        assert units['Fish & "chips" <b>now</b> 🙂'] == "Poisson & « frites » <b>maintenant</b> 🙂"
        assert any("<b>fine needles</b>" in source for source in units)  # rich text from the procedure

    def test_an_empty_memory_exports_a_valid_file(self, clinic, tmp_path):
        MemoryEntry.objects.all().delete()
        data = export_tmx(tmp_path, target="de").read_bytes()
        assert tmx_dtd_errors(data) == []
        assert tmxfile.parsestring(data).units == []

    def test_the_dtd_check_finds_what_breaks_the_format(self, clinic, tmp_path):
        data = export_tmx(tmp_path).read_bytes()
        broken = data.replace(b' segtype="block"', b"", 1)
        assert any("segtype" in error for error in tmx_dtd_errors(broken))
        assert tmx_dtd_errors(data.replace(b"<seg>", b"<seg><b>", 1).replace(b"</seg>", b"</b></seg>", 1))

    def test_export_then_import_restores_the_memory(self, clinic, tmp_path):
        path = export_tmx(tmp_path)
        before = memory_rows()
        MemoryEntry.objects.all().delete()
        call_command("translation_memory", "--import", str(path), "--target", "fr")
        assert memory_rows() == [row for row in before if row[1] == clinic["fr"].pk]

    def test_a_file_written_by_translate_toolkit_imports(self, clinic, tmp_path):
        store = tmxfile(sourcelanguage="en", targetlanguage="de")
        store.addtranslation("Avoid the sun for 48 hours.", "en", "Meiden Sie 48 Stunden die Sonne.", "de")
        path = tmp_path / "tool.tmx"
        path.write_bytes(bytes(store))
        call_command("translation_memory", "--import", str(path))
        assert memory.matches("Avoid the sun for 48 hours.", "", "en", "de")[0].exact

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"<tmx version='1.4'><header srclang='en'/><body><tu>", "not well-formed XML"),
            (b"<!DOCTYPE tmx [<!ENTITY x 'y'>]><tmx/>", "declares entities"),
            (b"<xliff/>", "not TMX"),
            (
                b"<tmx version='1.4'><header srclang='en'/><body><tu><tuv xml:lang='en'><seg>a</seg></tuv>"
                b"<tuv xml:lang='de'><seg>b</seg></tuv></tu></body></tmx>",
                "for en → de, not en → fr",
            ),
            (
                b"<tmx version='1.4'><header srclang='en'/><body><tu><tuv xml:lang='en'><seg>a</seg></tuv>"
                b"<tuv xml:lang='xx'><seg>b</seg></tuv></tu></body></tmx>",
                "locale “xx”, which this site does not have",
            ),
        ],
    )
    def test_bad_files_are_refused_and_change_nothing(self, clinic, tmp_path, content, message):
        path = tmp_path / "bad.tmx"
        path.write_bytes(content)
        before = memory_rows()
        with pytest.raises(CommandError, match=message):
            call_command("translation_memory", "--import", str(path), "--target", "fr")
        assert memory_rows() == before

    def test_an_oversized_file_is_refused_before_reading(self, clinic, tmp_path, settings):
        settings.TRANSLATION_PACKAGE_MAX_BYTES = 100
        path = export_tmx(tmp_path)
        before = memory_rows()
        MemoryEntry.objects.all().delete()
        with pytest.raises(CommandError, match=r"TMX file is \d+ bytes; at most 100 bytes"):
            call_command("translation_memory", "--import", str(path))
        assert memory_rows() == []
        assert before  # there was something to import
