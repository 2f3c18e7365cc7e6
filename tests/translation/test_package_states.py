"""Review states both ways: what we mark final or for review, and what a file marks for review.

The files coming back are written by third-party tools (translate-toolkit's stores,
gettext's msgattrib and msgcat), never by our own writer.
"""

import subprocess

import pytest
from django.core.management import call_command
from lxml import etree
from translate.storage import po as ttk_po
from translate.storage import poxliff as ttk_poxliff
from translate.storage import xliff as ttk_xliff
from translate.storage import xliff2 as ttk_xliff2
from wagtail.models import Page
from wagtail_localize.models import StringTranslation

from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import apply_import, plan_import
from cms.translation.packages.units import REVIEW_TOOL_NAME
from tests.translation.cat_tools import fill_targets

NS2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def machine_translate_needling(clinic):
    StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").update(
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE, tool_name="DeepL"
    )


def ttk_units(store_class, data):
    return {unit.source: unit for unit in store_class.parsestring(data).units}


@pytest.mark.django_db
class TestExportedStates:
    def test_xliff2_person_final_machine_initial_with_substate(self, clinic):
        machine_translate_needling(clinic)
        data = export_locale(clinic["fr"], "xliff2").data
        root = etree.fromstring(data)
        states = {
            "".join(segment.find("x:source", NS2).itertext()): (segment.get("state"), segment.get("subState"))
            for segment in root.iterfind(".//x:segment", NS2)
        }
        assert states["Needling"] == ("initial", "cms:machine")
        assert states["Numbing cream is applied"] == ("final", None)
        units = ttk_units(ttk_xliff2.Xliff2File, data)
        assert units["Needling"].isfuzzy() and not units["Numbing cream is applied"].isfuzzy()
        assert units["Numbing cream is applied"].isapproved()

    def test_xliff12_person_approved_machine_needs_review(self, clinic):
        machine_translate_needling(clinic)
        units = ttk_units(ttk_xliff.xlifffile, export_locale(clinic["fr"], "xliff12").data)
        human, machine = units["Numbing cream is applied"], units["Needling"]
        assert human.isapproved() and human.istranslated() and not human.isfuzzy()
        assert machine.isfuzzy() and not machine.isapproved()
        assert machine.getlanguageNode(lang=None, index=1).get("state") == "needs-review-translation"

    def test_po_person_plain_machine_fuzzy(self, clinic):
        machine_translate_needling(clinic)
        units = ttk_units(ttk_po.pofile, export_locale(clinic["fr"], "po").data)
        assert units["Needling"].isfuzzy()
        assert units["Numbing cream is applied"].istranslated() and not units["Numbing cream is applied"].isfuzzy()


def fr_procedure(clinic):
    return Page.objects.get(pk=clinic["procedure"].get_translation(clinic["fr"]).pk).specific


def review_rows(clinic):
    return StringTranslation.objects.filter(locale=clinic["fr"], tool_name=REVIEW_TOOL_NAME)


def gettext(*args, input_path):
    result = subprocess.run([*args, str(input_path)], capture_output=True, check=True)
    return result.stdout


def revise(source, current):
    return f"{source} [fr, revised]"


def mark_xliff_fuzzy(store_class, data):
    """translate-toolkit: revise every unit and leave it marked as needing review."""
    store = store_class.parsestring(
        fill_targets(data, "xliff2" if store_class is ttk_xliff2.Xliff2File else "xliff12", revise, confirm=False)
    )
    for unit in store.units:
        unit.markfuzzy(True)
    return bytes(store)


def marked_for_review(clinic, fmt, tmp_path):
    """A package revised in a tool and marked for review throughout, by third-party code."""
    if fmt == "po-gettext":
        path = tmp_path / "fr.po"
        # Revised with translate-toolkit's PO store, marked fuzzy by msgattrib, rewritten by msgcat.
        store = ttk_po.pofile.parsestring(export_locale(clinic["fr"], "po").data)
        for unit in store.units:
            if not unit.isheader():
                unit.target = revise(unit.source, unit.target)
        path.write_bytes(bytes(store))
        path.write_bytes(gettext("msgattrib", "--set-fuzzy", input_path=path))
        return gettext("msgcat", input_path=path)
    if fmt == "poxliff":
        store = ttk_poxliff.PoXliffFile.parsestring(
            fill_targets(export_locale(clinic["fr"], "xliff12").data, "xliff12", revise)
        )
        for unit in store.units:
            unit.markfuzzy(True)
        return bytes(store)
    data = export_locale(clinic["fr"], fmt).data
    return mark_xliff_fuzzy(ttk_xliff2.Xliff2File if fmt == "xliff2" else ttk_xliff.xlifffile, data)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["po-gettext", "xliff2", "xliff12", "poxliff"])
def test_units_marked_for_review_are_never_published(clinic, fmt, tmp_path, django_capture_on_commit_callbacks):
    live_before = fr_procedure(clinic).also_known_as
    plan = plan_import(marked_for_review(clinic, fmt, tmp_path))
    assert plan.rejections == []
    assert plan.changes and plan.needs_review == len(plan.changes)

    with django_capture_on_commit_callbacks(execute=True):
        apply_import(plan, publish=True)

    page = fr_procedure(clinic)
    assert page.also_known_as == live_before == "Collagen induction therapy [fr]"
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().also_known_as == "Collagen induction therapy [fr, revised]"
    assert review_rows(clinic).count() == len(plan.changes)
    assert set(review_rows(clinic).values_list("translation_type", flat=True)) == {"machine"}
    # Exported again, the suggestions still ask for a review.
    units = ttk_units(ttk_po.pofile, export_locale(clinic["fr"], "po").data)
    assert units["Collagen induction therapy"].isfuzzy()


@pytest.mark.django_db
def test_a_mixed_file_publishes_the_final_units_and_drafts_the_rest(
    clinic, tmp_path, capsys, django_capture_on_commit_callbacks
):
    store = ttk_po.pofile.parsestring(export_locale(clinic["fr"], "po").data)
    for unit in store.units:
        if unit.source == "Needling":
            unit.target = "Aiguilletage"
        elif unit.source == "Collagen induction therapy":
            unit.target = "Induction de collagène"
            unit.markfuzzy(True)
    path = tmp_path / "fr.po"
    path.write_bytes(bytes(store))

    call_command("translation_import", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "2 changed (1 marked for review, saved as drafts only)" in out
    assert "also_known_as  (marked for review: saved as a draft, never published)" in out

    with django_capture_on_commit_callbacks(execute=True):
        call_command("translation_import", str(path), "--publish")
    assert "Units marked for review went into drafts only." in capsys.readouterr().out
    page = fr_procedure(clinic)
    assert page.steps[1].value["title"] == "Aiguilletage"  # final: published
    assert page.also_known_as == "Collagen induction therapy [fr]"  # for review: not live
    assert page.get_latest_revision_as_object().also_known_as == "Induction de collagène"


@pytest.mark.django_db
def test_approving_a_machine_translation_unchanged_makes_it_a_persons(clinic, django_capture_on_commit_callbacks):
    machine_translate_needling(clinic)
    store = ttk_xliff.xlifffile.parsestring(export_locale(clinic["fr"], "xliff12").data)
    for unit in store.units:
        unit.markfuzzy(False)  # the reviewer confirms every segment as it is
    plan = plan_import(bytes(store))
    assert [(change.old, change.new, change.needs_review) for change in plan.changes] == [
        ("Needling [fr]", "Needling [fr]", False)
    ]
    apply_import(plan)
    row = StringTranslation.objects.get(locale=clinic["fr"], translation_of__data="Needling")
    assert row.translation_type == "manual"


@pytest.mark.django_db
def test_fuzzy_units_sent_back_untouched_change_nothing(clinic, snapshot):
    """Machine translations exported fuzzy and returned as they were are neither changes nor suggestions."""
    machine_translate_needling(clinic)
    data = gettext_roundtrip(export_locale(clinic["fr"], "po").data)
    plan = plan_import(data)
    assert (plan.changes, plan.rejections) == ([], [])
    assert plan.unchanged == StringTranslation.objects.filter(locale=clinic["fr"]).count()


def gettext_roundtrip(data):
    return subprocess.run(["msgcat", "-"], input=data, capture_output=True, check=True).stdout


@pytest.mark.django_db
def test_a_snippet_without_drafts_keeps_suggestions_out_of_its_live_copy(clinic):
    """Devices cannot hold a draft: a suggestion waits in the translation editor, the device stays as it was."""
    from decimal import Decimal

    from pages.snippets import Device
    from tests.translation.conftest import translate

    device = Device.objects.create(
        name="Pen",
        kind="pen",
        setting="clinic",
        depth="deep_dermis",
        visible_results="marked",
        sterilisation="single_use",
        operated_by=["dermatologist"],
        needle_length_min=Decimal("0.5"),
        needle_length_max=Decimal("2.5"),
        locale=clinic["en"],
    )
    translate(device, clinic["fr"])
    store = ttk_po.pofile.parsestring(export_locale(clinic["fr"], "po").data)
    for unit in store.units:
        if unit.source == "Pen":
            unit.target = "Stylo"
            unit.markfuzzy(True)
    plan = plan_import(bytes(store))
    assert plan.needs_review == 1
    apply_import(plan, publish=True)

    assert Device.objects.get(translation_key=device.translation_key, locale=clinic["fr"]).name == "Pen [fr]"
    assert review_rows(clinic).get().data == "Stylo"
