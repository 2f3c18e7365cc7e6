"""Exported packages: content, context for translators, scopes, and acceptance by third-party tools."""

import io
import os
import subprocess
import zipfile

import polib
import pytest
from django.core.management import CommandError, call_command
from translate.storage import po as ttk_po
from translate.storage import xliff as ttk_xliff
from translate.storage import xliff2 as ttk_xliff2
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from cms.translation.models import MemoryEntry
from cms.translation.packages.export import export_locale, export_packages


def po_entries(clinic, **kwargs):
    data = export_locale(clinic["fr"], "po", **kwargs).data.decode()
    return {entry.msgid: entry for entry in polib.pofile(data)}


@pytest.mark.django_db
class TestContent:
    def test_each_unit_has_source_translation_and_context(self, clinic):
        entries = po_entries(clinic)
        step = entries["Numbing cream is applied"]
        assert step.msgstr == "Numbing cream is applied [fr]"
        assert "page: Microneedling" in step.comment
        assert "field: steps.step.title (steps > Treatment step > Step)" in step.comment
        assert "block-type: step" in step.comment
        assert "max-length: At most 120 characters." in step.comment
        fr_page = clinic["procedure"].get_translation(clinic["fr"])
        assert f"preview: http://localhost:8000/admin/pages/{fr_page.pk}/edit/" in step.comment
        assert step.occurrences == [("steps.step.title", "")]

    def test_markup_travels_as_wagtail_localize_stores_it(self, clinic):
        entries = po_entries(clinic)
        assert 'Read <a id="a1">the 2017 review</a> first.' in entries
        assert "href" not in "".join(entries)  # link targets are not for translators to break

    def test_unit_ids_name_translation_context_and_string(self, clinic):
        translation = clinic["translations"]["fr"]
        entry = po_entries(clinic)["Collagen induction therapy"]
        segment = translation.source.stringsegment_set.get(context__path="also_known_as")
        assert entry.msgctxt == f"t{translation.pk}.c{segment.context_id}.s{segment.string_id}"

    def test_untranslated_scope_lists_only_missing_translations(self, clinic):
        StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").delete()
        MemoryEntry.objects.filter(source_text="Needling").delete()
        entries = po_entries(clinic, scope="untranslated")
        assert list(entries) == ["Needling"]
        assert entries["Needling"].msgstr == ""

    def test_a_deleted_translation_comes_back_from_memory_for_review(self, clinic):
        StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").delete()
        entry = po_entries(clinic, scope="untranslated")["Needling"]
        assert (entry.msgstr, entry.fuzzy) == ("Needling [fr]", True)

    def test_stale_scope_lists_changed_source_with_previous_translation(self, clinic, change_summary):
        change_summary(clinic["procedure"], "Sessions last 10–20 minutes; 3–6 sessions are usually needed.")
        entries = po_entries(clinic, scope="stale")
        assert list(entries) == ["Sessions last 10–20 minutes; 3–6 sessions are usually needed."]
        (entry,) = entries.values()
        # As msgmerge leaves a changed entry: the previous translation, fuzzy, and the text it translated.
        assert entry.msgstr == "Sessions last 10–20 minutes; 4–6 sessions are usually needed. [fr]"
        assert entry.flags == ["fuzzy"]
        assert entry.previous_msgid == "Sessions last 10–20 minutes; 4–6 sessions are usually needed."
        assert (
            "stale: Stale: the source text changed since this was translated. Previous translation: "
            "Sessions last 10–20 minutes; 4–6 sessions are usually needed. [fr]"
        ) in entry.comment

    def test_machine_translations_are_flagged_for_review(self, clinic):
        StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").update(
            translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE, tool_name="DeepL"
        )
        entries = po_entries(clinic)
        assert entries["Needling"].flags == ["fuzzy"]
        assert "machine: Machine-translated (DeepL): please review." in entries["Needling"].comment
        assert entries["Numbing cream is applied"].flags == []

    def test_root_limits_the_package_to_a_subtree(self, clinic):
        from cms.translation.packages.collect import resolve_root

        root = resolve_root(str(clinic["procedure"].translation_key))
        titles = {entry.comment.splitlines()[0] for entry in po_entries(clinic, root=root).values()}
        assert titles == {"page: Microneedling"}
        assert "Welcome to the clinic." in po_entries(clinic)

    def test_several_locales_are_zipped_one_file_each(self, clinic_de):
        export = export_packages(["fr", "de"], "xliff2")
        with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
            names = sorted(archive.namelist())
            assert names == ["translations-de-all.xlf", "translations-fr-all.xlf"]
            assert b'trgLang="de"' in archive.read("translations-de-all.xlf")


@pytest.mark.django_db
class TestCommand:
    def test_writes_the_file_and_leaves_no_temporary_file(self, clinic, tmp_path):
        out = tmp_path / "fr.xlf"
        call_command("translation_export", "--locale", "fr", "--format", "xliff12", "--out", str(out))
        assert b"<trans-unit" in out.read_bytes()
        assert os.listdir(tmp_path) == ["fr.xlf"]

    def test_unknown_locale_is_an_error_and_writes_nothing(self, clinic, tmp_path):
        out = tmp_path / "xx.po"
        known = ", ".join(sorted(Locale.objects.values_list("language_code", flat=True)))
        with pytest.raises(CommandError, match=rf"Unknown locale\(s\): xx\. Known locales: {known}\."):
            call_command("translation_export", "--locale", "xx", "--format", "po", "--out", str(out))
        assert not out.exists()

    def test_unknown_root_is_an_error(self, clinic, tmp_path):
        with pytest.raises(CommandError, match="No page has the key"):
            call_command(
                "translation_export", "--locale", "fr", "--root", "nope", "--format", "po", "--out", str(tmp_path / "x")
            )


@pytest.mark.django_db
class TestThirdPartyTools:
    def test_po_passes_msgfmt_check(self, clinic, tmp_path):
        StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").update(
            translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
        )
        path = tmp_path / "fr.po"
        path.write_bytes(export_locale(clinic["fr"], "po").data)
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "1 fuzzy translation" in result.stderr

    def test_po_is_read_by_translate_toolkit(self, clinic):
        store = ttk_po.pofile.parsestring(export_locale(clinic["fr"], "po").data)
        units = [unit for unit in store.units if not unit.isheader()]
        assert len(units) == clinic["translations"]["fr"].source.stringsegment_set.count() + 3

    @pytest.mark.parametrize(
        ("fmt", "store_class"), [("xliff2", ttk_xliff2.Xliff2File), ("xliff12", ttk_xliff.xlifffile)]
    )
    def test_xliff_is_read_by_translate_toolkit(self, clinic, fmt, store_class):
        store = store_class.parsestring(export_locale(clinic["fr"], fmt).data)
        # translate-toolkit prefixes XLIFF 1.2 ids with the <file> name and \x04.
        units = {unit.getid().split("\x04")[-1]: unit for unit in store.units}
        translation = clinic["translations"]["fr"]
        segment = translation.source.stringsegment_set.get(context__path="also_known_as")
        unit = units[f"t{translation.pk}.c{segment.context_id}.s{segment.string_id}"]
        assert unit.source == "Collagen induction therapy"
        assert unit.target == "Collagen induction therapy [fr]"
        # translate-toolkit looks for XLIFF 2.0 notes inside <segment>; the spec puts them on <unit>.
        notes = "".join(unit.getunitelement().itertext()) if fmt == "xliff2" else unit.getnotes()
        assert "also_known_as (also known as)" in notes
        assert store.gettargetlanguage() == "fr"
        assert len(units) == 3 + translation.source.stringsegment_set.count()
