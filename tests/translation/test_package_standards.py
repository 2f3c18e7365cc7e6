"""Packages third-party tools accept: OASIS schemas, translate-toolkit's commands, npm's xliff.

The XSDs are the OASIS ones vendored in data/xliff/ (see xliff_schemas.py).
"""

import os
import re
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from lxml import etree
from translate.storage import xliff as ttk_xliff
from wagtail_localize.models import StringTranslation

from cms.translation.packages.export import export_locale, export_packages
from cms.translation.packages.importer import apply_import, plan_import
from tests.translation.cat_tools import fill_targets, pocount, toolkit_command
from tests.translation.xliff_schemas import assert_valid, schema

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
NS = {
    "x": "urn:oasis:names:tc:xliff:document:2.0",
    "mtc": "urn:oasis:names:tc:xliff:matches:2.0",
    "slr": "urn:oasis:names:tc:xliff:sizerestriction:2.0",
    "x1": "urn:oasis:names:tc:xliff:document:1.2",
}
NEW_SUMMARY = "Sessions last 10–20 minutes & 4–6 sessions are usually needed."


@pytest.fixture
def varied(clinic, change_summary):
    """Every kind of unit: final, machine-translated, stale (with an entity), rich text, length-limited."""
    StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").update(
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE, tool_name="DeepL"
    )
    change_summary(clinic["procedure"], NEW_SUMMARY)
    return clinic


@pytest.mark.django_db
class TestSchemas:
    @pytest.mark.parametrize("fmt", ["xliff2", "xliff12"])
    @pytest.mark.parametrize("scope", ["all", "stale"])
    def test_exports_validate(self, varied, fmt, scope):
        assert_valid(fmt, export_locale(varied["fr"], fmt, scope=scope).data)

    def test_a_module_error_is_caught(self, varied):
        """The module schemas are really applied: a bad slr attribute fails."""
        data = export_locale(varied["fr"], "xliff2").data.replace(b'generalProfile="', b'bogus="1" generalProfile="')
        assert not schema("xliff2").validate(etree.parse(BytesIO(data)))

    def test_an_empty_scope_is_an_error_and_writes_nothing(self, clinic, tmp_path):
        out = tmp_path / "fr.xlf"
        with pytest.raises(CommandError, match="Nothing to export: fr has no segment in the scope “stale”"):
            call_command("translation_export", "--locale", "fr", "--scope", "stale", "--out", str(out))
        assert os.listdir(tmp_path) == []

    def test_a_zip_leaves_out_the_empty_locale(self, clinic_de):
        StringTranslation.objects.filter(locale=clinic_de["fr"], translation_of__data="Needling").delete()
        export = export_packages(["fr", "de"], "xliff2", scope="untranslated")
        assert export.empty_locales == ("de",)
        with zipfile.ZipFile(BytesIO(export.data)) as archive:
            assert archive.namelist() == ["translations-fr-untranslated.xlf"]
            assert_valid("xliff2", archive.read("translations-fr-untranslated.xlf"))


@pytest.mark.django_db
def test_pocount_and_xliff2po_read_finished_xliff12_units_as_translated(clinic, tmp_path):
    path = tmp_path / "fr.xlf"
    path.write_bytes(export_locale(clinic["fr"], "xliff12").data)
    total = StringTranslation.objects.filter(locale=clinic["fr"]).count()

    counts = pocount(path)
    assert (counts["Translated Messages"], counts["Fuzzy Messages"], counts["Untranslated Messages"]) == (total, 0, 0)

    converted = tmp_path / "fr.po"
    subprocess.run([toolkit_command("xliff2po"), str(path), str(converted)], capture_output=True, check=True)
    entries = [entry for entry in polib.pofile(str(converted)) if entry.msgid]
    assert len(entries) == total
    assert not [entry for entry in entries if entry.fuzzy or not entry.translated()]


@pytest.mark.django_db
class TestInlineCodes:
    def test_xliff2_keeps_markup_out_of_the_text(self, clinic):
        root = etree.fromstring(export_locale(clinic["fr"], "xliff2").data)
        unit = next(
            u for u in root.iterfind(".//x:unit", NS) if "review" in "".join(u.find(".//x:source", NS).itertext())
        )
        source = unit.find(".//x:source", NS)
        assert "".join(source.itertext()) == "Read the 2017 review first."  # no tag among the words
        (pc,) = source.iterfind("x:pc", NS)
        assert (pc.get("id"), pc.get("type"), pc.text) == ("1", "link", "the 2017 review")
        data = {d.get("id"): d.text for d in unit.iterfind("x:originalData/x:data", NS)}
        assert (data[pc.get("dataRefStart")], data[pc.get("dataRefEnd")]) == ('<a id="a1">', "</a>")
        assert unit.find(".//x:target/x:pc", NS).get("id") == "1"

    def test_xliff12_uses_g(self, clinic):
        root = etree.fromstring(export_locale(clinic["fr"], "xliff12").data)
        bold = root.find(".//x1:source/x1:g[@ctype='bold']", NS)
        assert bold.text == "fine needles" and bold.get("id") == "1"

    def test_po_keeps_html(self, clinic):
        entries = {entry.msgctxt: entry for entry in polib.pofile(export_locale(clinic["fr"], "po").data.decode())}
        assert any(entry.msgid == 'Read <a id="a1">the 2017 review</a> first.' for entry in entries.values())

    def test_xliff12_bpt_ept_pairs_are_read(self, clinic, django_capture_on_commit_callbacks):
        data = fill_targets(export_locale(clinic["fr"], "xliff12").data, "xliff12", lambda s, c: f"{s} [fr, revised]")
        text = data.decode()
        # A tool that writes paired codes as bpt/ept instead of g (in targets only; sources stay).
        head, sep, tail = text.partition("<target")
        tail = re.sub(
            r'<g id="(\d+)" ctype="(\w+)">(.*?)</g>',
            r'<bpt id="\1">&lt;x&gt;</bpt>\3<ept id="\1">&lt;/x&gt;</ept>',
            tail,
        )
        plan = plan_import((head + sep + tail).encode())
        assert plan.rejections == []
        with django_capture_on_commit_callbacks(execute=True):
            apply_import(plan, publish=True)
        page = clinic["procedure"].get_translation(clinic["fr"]).specific
        assert "<b>fine needles</b> 0.5 to 2.5 mm long. [fr, revised]" in page.what_it_is


def edit_target(data, contains, edit):
    """Apply ``edit(target_element)`` to the XLIFF 2.0 target of the unit whose source contains ``contains``."""
    root = etree.fromstring(data)
    for unit in root.iterfind(".//x:unit", NS):
        if contains in "".join(unit.find(".//x:source", NS).itertext()):
            edit(unit.find(".//x:target", NS))
    return etree.tostring(root)


def q(name):
    return f"{{{NS['x']}}}{name}"


def drop_link(target):
    pc = target.find("x:pc", NS)
    pc.getparent().remove(pc)


def add_code(target):
    target.append(etree.Element(q("ph"), {"id": "7", "dataRef": "d1"}))


def end_before_start(target):
    pc = target.find("x:pc", NS)
    index = list(target).index(pc)
    target.remove(pc)
    ec, sc = etree.Element(q("ec"), {"startRef": "1"}), etree.Element(q("sc"), {"id": "1"})
    ec.tail, sc.tail = pc.text, pc.tail
    target.insert(index, ec)
    target.insert(index + 1, sc)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("contains", "edit", "message"),
    [
        ("review", drop_link, 'Inline codes missing from the translation: 1 (<a id="a1">…</a>).'),
        ("review", add_code, "Inline code 7 is not in the source."),
        ("fine needles", end_before_start, "Inline code 1 (<b>…</b>) closes before it opens."),
    ],
)
def test_missing_extra_or_reordered_codes_are_rejected_per_unit(
    clinic, tmp_path, capsys, snapshot, contains, edit, message
):
    data = edit_target(export_locale(clinic["fr"], "xliff2").data, contains, edit)
    path = tmp_path / "fr.xlf"
    path.write_bytes(data)
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("translation_import", str(path), "--publish")
    (line,) = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"REJECTED Microneedling / what_it_is \(t\d+\.c\d+\.s\d+\): .*", line), line
    assert f": {message}" in line
    assert snapshot() == before


@pytest.mark.django_db
class TestContextForTools:
    def test_xliff2_length_limits_use_slr(self, clinic):
        root = etree.fromstring(export_locale(clinic["fr"], "xliff2").data)
        assert root.find("x:file/slr:profiles", NS).get("generalProfile") == "xliff:codepoints"
        limits = {
            "".join(u.find(".//x:source", NS).itertext()): u.get(f"{{{NS['slr']}}}sizeRestriction")
            for u in root.iterfind(".//x:unit", NS)
        }
        assert limits["Needling"] == "120"

    def test_previous_translations_travel_as_matches_alt_trans_and_previous_msgid(self, varied):
        fr = varied["fr"]
        old_source = "Sessions last 10–20 minutes; 4–6 sessions are usually needed."
        old_target = f"{old_source} [fr]"

        root = etree.fromstring(export_locale(fr, "xliff2", scope="stale").data)
        (match,) = root.iterfind(".//mtc:matches/mtc:match", NS)
        assert (match.findtext("x:source", namespaces=NS), match.findtext("x:target", namespaces=NS)) == (
            old_source,
            old_target,
        )

        (unit,) = ttk_xliff.xlifffile.parsestring(export_locale(fr, "xliff12", scope="stale").data).units
        (alt,) = unit.getalttrans()
        assert (alt.source, alt.target) == (old_source, old_target)
        assert unit.source == NEW_SUMMARY and unit.isfuzzy()

        po_data = export_locale(fr, "po", scope="stale").data
        (entry,) = polib.pofile(po_data.decode())
        assert (entry.previous_msgid, entry.msgstr, entry.fuzzy) == (old_source, old_target, True)
        # gettext reads the previous msgid back as its own.
        shown = subprocess.run(["msgattrib", "--only-fuzzy", "-"], input=po_data, capture_output=True, check=True)
        assert f'#| msgid "{old_source}"'.encode() in shown.stdout


def npm_xliff(version, data):
    script = DATA / "xliff_npm_revise.js"
    if not (ROOT / "node_modules" / "xliff").exists():
        pytest.fail("node_modules/xliff is missing: run `make node-deps` (npm ci) first.")
    result = subprocess.run(
        ["node", str(script), version],
        input=data,
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "NODE_PATH": str(ROOT / "node_modules")},
    )
    return result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "rewrite"),
    [
        ("xliff2", lambda data: npm_xliff("2.0", data)),
        ("xliff12", lambda data: npm_xliff("1.2", data)),
        ("xliff2", lambda data: fill_targets(data, "xliff2", lambda s, c: f"{s} [fr, revised]")),
        ("xliff12", lambda data: fill_targets(data, "xliff12", lambda s, c: f"{s} [fr, revised]")),
    ],
    ids=["npm-xliff-2.0", "npm-xliff-1.2", "translate-toolkit-2.0", "translate-toolkit-1.2"],
)
def test_a_file_rewritten_by_another_library_with_an_entity_still_imports(
    varied, fmt, rewrite, django_capture_on_commit_callbacks
):
    rewritten = rewrite(export_locale(varied["fr"], fmt).data)
    assert b"&amp;" in rewritten
    plan = plan_import(rewritten)
    assert plan.rejections == []
    summary = next(change for change in plan.changes if change.field_path == "summary")
    assert summary.new == "Sessions last 10–20 minutes &amp; 4–6 sessions are usually needed. [fr, revised]"
    with django_capture_on_commit_callbacks(execute=True):
        apply_import(plan, publish=True)
    page = varied["procedure"].get_translation(varied["fr"]).specific
    latest = page.get_latest_revision_as_object()
    assert latest.summary == "Sessions last 10–20 minutes & 4–6 sessions are usually needed. [fr, revised]"
    assert "<b>fine needles</b> 0.5 to 2.5 mm long. [fr, revised]" in latest.what_it_is
