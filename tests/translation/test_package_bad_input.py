"""Bad packages: each gives a clear error and changes nothing, neither translations nor pages."""

import codecs
import re

import polib
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale
from wagtail_localize.models import Translation

from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import PackageRejected, apply_import, plan_import


def revised(text):
    return text.replace(" [fr]", " [fr, revised]")


def edited_po(clinic, edit, locale="fr"):
    """Export the PO package and let ``edit(entry)`` change entries, as a translator would."""
    po = polib.pofile(export_locale(clinic[locale], "po").data.decode())
    for entry in po:
        edit(entry)
    return str(po).encode()


def edited_xliff(clinic, edit):
    """Export XLIFF 2.0 and apply a text edit to the whole file."""
    return edit(export_locale(clinic["fr"], "xliff2").data.decode()).encode()


def run_import(tmp_path, data, *args):
    """Run translation_import on the bytes; returns the CommandError message."""
    path = tmp_path / "package"
    path.write_bytes(data)
    with pytest.raises(CommandError) as error:
        call_command("translation_import", str(path), "--publish", *args)
    return str(error.value)


@pytest.fixture
def unchanged(snapshot):
    """Asserts, after the test, that no StringTranslation row and no page changed."""
    before = snapshot()
    yield
    assert snapshot() == before


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clinic")]


class TestWholeFileRejected:
    def test_garbled_po(self, clinic, tmp_path, unchanged):
        data = edited_po(clinic, lambda entry: None).replace(b'msgid "Needling"', b'msgid "Needling\nmsgstr ')
        assert "The PO file could not be read: Syntax error in po file" in run_import(tmp_path, data)

    def test_binary_garbage(self, tmp_path, unchanged):
        assert "The file is not UTF-8 text" in run_import(tmp_path, b"\xff\xfe\x00garbage\n")

    def test_po_without_header(self, clinic, tmp_path, unchanged):
        data = edited_po(clinic, lambda entry: None)
        body = data[data.index(b"\n\n") + 2 :]  # drop the header entry
        message = run_import(tmp_path, body)
        assert "The PO file has no header or an incomplete one (missing Language, X-Translation-Package)" in message

    def test_po_of_a_single_page_translation(self, clinic, tmp_path, unchanged):
        po = clinic["translations"]["fr"].export_po()  # wagtail-localize's own per-page file
        message = run_import(tmp_path, str(po).encode())
        assert "This PO file belongs to a single translation made in the page's translation editor" in message

    def test_xliff_with_an_external_entity(self, tmp_path, unchanged):
        data = (
            b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">'
            b'<file id="t1"><unit id="t1.c1.s1"><segment><source>Clinic</source><target>&secret;</target>'
            b"</segment></unit></file></xliff>"
        )
        message = run_import(tmp_path, data)
        assert "The XLIFF file declares a DTD or entities (DTDForbidden)" in message

    def test_xliff_entity_expansion_bomb(self, tmp_path, unchanged):
        data = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" trgLang="fr">&b;</xliff>'
        )
        assert "declares a DTD or entities" in run_import(tmp_path, data)

    def test_malformed_xliff(self, clinic, tmp_path, unchanged):
        data = edited_xliff(clinic, lambda text: text.replace("</unit>", "", 1))
        assert "The XLIFF file is not well-formed XML: mismatched tag" in run_import(tmp_path, data)

    def test_oversized_file(self, clinic, tmp_path, settings, unchanged):
        settings.TRANSLATION_PACKAGE_MAX_BYTES = 1000
        data = export_locale(clinic["fr"], "po").data
        assert len(data) > 1000
        assert f"The file is {len(data)} bytes; packages may be at most 1000 bytes" in run_import(tmp_path, data)

    def test_unknown_locale(self, clinic, tmp_path, unchanged):
        data = edited_xliff(clinic, lambda text: text.replace('trgLang="fr"', 'trgLang="xx"'))
        message = run_import(tmp_path, data)
        known = ", ".join(sorted(Locale.objects.values_list("language_code", flat=True)))
        assert f"The file is for locale “xx”, which this site does not have; known locales: {known}." in message

    def test_file_for_another_locale_than_expected(self, clinic, tmp_path, unchanged):
        data = export_locale(clinic["fr"], "xliff12").data
        assert "The file is for locale “fr”, not “de”." in run_import(tmp_path, data, "--locale", "de")


class TestUnitsRejected:
    """Unit-level errors: every rejected unit is named with its reason, and the good units are not applied."""

    def rejections(self, tmp_path, data, capsys):
        message = run_import(tmp_path, data)
        assert "The file has errors; nothing was imported." in message
        return [line for line in capsys.readouterr().err.splitlines() if line.startswith("REJECTED")]

    def test_po_from_another_locale(self, clinic_de, tmp_path, capsys, unchanged):
        clinic = clinic_de
        data = edited_po(clinic, lambda entry: None, locale="de").replace(b"Language: de", b"Language: fr")
        rejected = self.rejections(tmp_path, data, capsys)
        assert len(rejected) == len(polib.pofile(data.decode()))
        assert "The unit belongs to the de translation of “Microneedling”, not to fr." in "\n".join(rejected)

    def test_xliff_with_unknown_ids(self, clinic, tmp_path, capsys, unchanged):
        def invent_ids(text):
            text = re.sub(r'<unit id="t\d+\.c\d+\.s\d+"', '<unit id="title-1"', text, count=1)
            return re.sub(r'<unit id="t\d+\.', '<unit id="t999.', text, count=1)

        rejected = self.rejections(tmp_path, edited_xliff(clinic, invent_ids), capsys)
        assert len(rejected) == 2
        assert rejected[0].startswith("REJECTED title-1: “title-1” is not a unit id from a translation package")
        assert "Unknown unit: this site has no translation t999." in rejected[1]

    def test_broken_markup_in_a_target(self, clinic, tmp_path, capsys, unchanged):
        def break_bold(entry):
            entry.msgstr = revised(entry.msgstr).replace("</b>", "")

        rejected = self.rejections(tmp_path, edited_po(clinic, break_bold), capsys)
        assert len(rejected) == 1
        assert rejected[0].endswith("<b> is never closed.")

    def test_link_markup_must_be_kept(self, clinic, tmp_path, capsys, unchanged):
        def drop_link(entry):
            entry.msgstr = entry.msgstr.replace('<a id="a1">', "").replace("</a>", "")

        (rejected,) = self.rejections(tmp_path, edited_po(clinic, drop_link), capsys)
        assert 'The markup differs from the source: missing <a id="a1">; unexpected -.' in rejected

    def test_a_changed_number(self, clinic, tmp_path, capsys, unchanged):
        def wrong_needle(entry):
            entry.msgstr = revised(entry.msgstr).replace("2.5 mm", "25 mm")

        (rejected,) = self.rejections(tmp_path, edited_po(clinic, wrong_needle), capsys)
        assert "The numbers differ from the source: the source has 0.5, 2.5, the translation has 0.5, 25." in rejected

    def test_too_long_for_the_field(self, clinic, tmp_path, capsys, unchanged):
        def long_step(entry):
            if entry.msgid == "Needling":
                entry.msgstr = "N" * 121

        (rejected,) = self.rejections(tmp_path, edited_po(clinic, long_step), capsys)
        assert "The translation is 121 characters long; this field allows at most 120." in rejected

    def test_a_translation_stopped_in_the_admin(self, clinic, tmp_path, capsys, unchanged):
        data = edited_po(clinic, lambda entry: setattr(entry, "msgstr", revised(entry.msgstr)))
        Translation.objects.filter(pk=clinic["translations"]["fr"].pk).update(enabled=False)
        rejected = self.rejections(tmp_path, data, capsys)
        assert rejected and all("Microneedling" in line and "was stopped in the admin" in line for line in rejected)

    def test_source_changed_since_export(self, clinic, tmp_path, capsys, change_summary, snapshot):
        data = edited_po(clinic, lambda entry: setattr(entry, "msgstr", revised(entry.msgstr)))
        change_summary(clinic["procedure"], "Sessions last 10–20 minutes; 3–6 sessions are usually needed.")
        before = snapshot()
        (rejected,) = self.rejections(tmp_path, data, capsys)
        assert snapshot() == before
        assert "does not match the current source of “Microneedling”: the text changed since the export" in rejected


def test_a_page_that_cannot_be_saved_rolls_back_every_change(clinic, monkeypatch, snapshot):
    """All or nothing holds after the checks too: a failure on the second page undoes the first."""
    data = edited_po(clinic, lambda entry: setattr(entry, "msgstr", revised(entry.msgstr)))
    plan = plan_import(data)
    assert plan.ok and len(plan.changes) > 2
    before = snapshot()
    original = Translation.save_target
    saved = []

    def fail_on_second(self, user=None, publish=True):
        if saved:
            from django.core.exceptions import ValidationError

            raise ValidationError({"slug": "This slug is already in use"})
        saved.append(self.pk)
        return original(self, user=user, publish=publish)

    monkeypatch.setattr(Translation, "save_target", fail_on_second)
    with pytest.raises(PackageRejected, match="could not be saved with the new translations: This slug is already"):
        apply_import(plan, publish=True)
    assert saved  # the first page was written before the failure...
    assert snapshot() == before  # ...and rolled back with everything else


@pytest.mark.parametrize("fmt", ["xliff2", "xliff12", "po"])
def test_a_utf8_byte_order_mark_is_accepted(clinic, fmt):
    data = export_locale(clinic["fr"], fmt).data
    plain, with_bom = plan_import(data), plan_import(codecs.BOM_UTF8 + data)
    assert with_bom.ok
    assert (with_bom.format, with_bom.locale, len(with_bom.changes), with_bom.unchanged) == (
        plain.format,
        plain.locale,
        len(plain.changes),
        plain.unchanged,
    )
