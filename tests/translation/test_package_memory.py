"""Translation memory in packages: a new page that repeats another page's sentences goes
out with 100% matches filled in as needing review, and with fuzzy matches and their score,
in files the OASIS schemas, translate-toolkit and gettext accept."""

import subprocess

import polib
import pytest
from lxml import etree
from rapidfuzz import fuzz
from translate.storage import po as ttk_po
from translate.storage import xliff as ttk_xliff
from wagtail_localize.models import Translation, TranslationSource

from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import plan_import
from tests.translation.cat_tools import TTK_STORES
from tests.translation.conftest import build_procedure
from tests.translation.xliff_schemas import assert_valid

SUMMARY = "Sessions last 10–20 minutes; 4–6 sessions are usually needed."
ALSO_KNOWN_AS = "Collagen induction therapies"  # Microneedling's is "Collagen induction therapy"
NS = {
    "x": "urn:oasis:names:tc:xliff:document:2.0",
    "mtc": "urn:oasis:names:tc:xliff:matches:2.0",
    "x1": "urn:oasis:names:tc:xliff:document:1.2",
}


@pytest.fixture
def second_page(clinic):
    """Dermaplaning: Microneedling's texts but one, sent for French translation, nothing translated yet."""
    page = build_procedure(clinic["home"], title="Dermaplaning", slug="dermaplaning")
    page.also_known_as = ALSO_KNOWN_AS
    page.save_revision().publish()
    source, _created = TranslationSource.get_or_create_from_instance(page)
    Translation.objects.create(source=source, target_locale=clinic["fr"])
    return page


def expected_score():
    """The fuzzy score as rapidfuzz computes it, independently of the exporter."""
    return f"{round(fuzz.ratio(ALSO_KNOWN_AS, 'Collagen induction therapy'), 1):g}"


def xliff2_units(clinic, page_title):
    root = etree.fromstring(export_locale(clinic["fr"], "xliff2").data)
    file_id = f"t{Translation.objects.get(source__object_repr=page_title, target_locale=clinic['fr']).pk}"
    return {unit.get("name"): unit for unit in root.iterfind(f"x:file[@id='{file_id}']/x:unit", NS)}


@pytest.mark.django_db
class TestXliff2:
    def test_a_100_percent_match_is_filled_in_as_needing_review(self, clinic, second_page):
        segment = xliff2_units(clinic, "Dermaplaning")["summary"].find("x:segment", NS)
        assert (segment.get("state"), segment.get("subState")) == ("initial", "cms:memory")
        assert segment.findtext("x:target", namespaces=NS) == f"{SUMMARY} [fr]"

    def test_fuzzy_matches_travel_with_their_score(self, clinic, second_page):
        unit = xliff2_units(clinic, "Dermaplaning")["also_known_as"]
        assert unit.find("x:segment/x:target", NS) is None  # not filled in: the translator decides
        (match,) = unit.iterfind("mtc:matches/mtc:match", NS)
        assert match.get("matchQuality") == expected_score()
        assert (match.get("ref"), unit.find("x:segment", NS).get("id")) == ("#s1", "s1")
        assert match.findtext("x:source", namespaces=NS) == "Collagen induction therapy"
        assert match.findtext("x:target", namespaces=NS) == "Collagen induction therapy [fr]"

    def test_translated_units_get_no_memory(self, clinic, second_page):
        for unit in xliff2_units(clinic, "Microneedling").values():
            assert unit.find("mtc:matches", NS) is None
            assert unit.find("x:segment", NS).get("state") == "final"

    def test_the_file_validates_and_translate_toolkit_reads_the_match_as_unfinished(self, clinic, second_page):
        data = export_locale(clinic["fr"], "xliff2").data
        assert_valid("xliff2", data)
        unit = next(u for u in TTK_STORES["xliff2"].parsestring(data).units if u.source == SUMMARY and u.isfuzzy())
        assert unit.target == f"{SUMMARY} [fr]"

    def test_a_match_sent_back_unconfirmed_is_only_a_suggestion(self, clinic, second_page):
        plan = plan_import(export_locale(clinic["fr"], "xliff2").data)
        assert plan.ok
        memory_units = [c for c in plan.changes if c.page_title == "Dermaplaning"]
        assert memory_units and all(change.needs_review for change in memory_units)
        assert plan.needs_review == len(plan.changes)


@pytest.mark.django_db
class TestXliff12:
    def test_matches_validate_and_read_in_translate_toolkit(self, clinic, second_page):
        data = export_locale(clinic["fr"], "xliff12").data
        assert_valid("xliff12", data)
        by_field = {
            unit.xmlelement.get("resname"): unit
            for unit in ttk_xliff.xlifffile.parsestring(data).units
            if unit.xmlelement.xpath("../../x1:header/x1:note/text()", namespaces=NS) == ["Dermaplaning"]
        }

        summary = by_field["summary"]
        assert summary.target == f"{SUMMARY} [fr]" and summary.isfuzzy()
        target_el = summary.xmlelement.find("x1:target", NS)
        assert (summary.xmlelement.get("approved"), target_el.get("state")) == ("no", "needs-review-translation")

        also = by_field["also_known_as"]
        assert not also.target
        (alt,) = also.getalttrans()
        assert (alt.source, alt.target) == ("Collagen induction therapy", "Collagen induction therapy [fr]")
        assert alt.xmlelement.get("match-quality") == expected_score()


@pytest.mark.django_db
class TestPo:
    def test_match_is_fuzzy_and_fuzzy_matches_are_translator_comments(self, clinic, second_page, tmp_path):
        data = export_locale(clinic["fr"], "po").data
        path = tmp_path / "fr.po"
        path.write_bytes(data)
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True, capture_output=True)

        entries = [e for e in polib.pofile(data.decode()) if e.occurrences[0][0] in ("summary", "also_known_as")]
        dermaplaning = {e.occurrences[0][0]: e for e in entries if "page: Dermaplaning" in e.comment}
        assert dermaplaning["summary"].fuzzy and dermaplaning["summary"].msgstr == f"{SUMMARY} [fr]"
        also = dermaplaning["also_known_as"]
        assert also.msgstr == "" and not also.fuzzy
        assert also.tcomment == (
            f"Translation memory, {expected_score()}%: Collagen induction therapy → Collagen induction therapy [fr]"
        )
        unit = next(u for u in ttk_po.pofile.parsestring(data).units if u.getcontext() == also.msgctxt)
        assert expected_score() in unit.getnotes("translator")
