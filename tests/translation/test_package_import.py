"""Importing packages: round trips through a CAT tool library, dry run, drafts and publishing."""

import pytest
from django.core.management import call_command
from wagtail_localize.models import StringTranslation

from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import apply_import, plan_import
from tests.translation.cat_tools import fill_targets


def revised(source, current):
    """A translator's revision: keeps numbers and markup."""
    return f"{source} [fr, revised]"


def fr_procedure(clinic):
    return clinic["procedure"].get_translation(clinic["fr"]).specific


@pytest.mark.django_db
class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["xliff2", "xliff12", "po"])
    def test_filled_package_imports_cleanly_and_publishes(self, clinic, fmt, django_capture_on_commit_callbacks):
        data = fill_targets(export_locale(clinic["fr"], fmt).data, fmt, revised)
        plan = plan_import(data)
        assert plan.rejections == []
        assert len(plan.changes) == StringTranslation.objects.filter(locale=clinic["fr"]).count()

        with django_capture_on_commit_callbacks(execute=True):
            apply_import(plan, publish=True)

        page = fr_procedure(clinic)
        assert page.also_known_as == "Collagen induction therapy [fr, revised]"
        assert page.title == "Microneedling [fr, revised]"
        assert page.steps[0].value["title"] == "Numbing cream is applied [fr, revised]"
        assert "<b>fine needles</b> 0.5 to 2.5 mm long. [fr, revised]" in page.what_it_is
        assert 'href="https://example.org/review"' in page.what_it_is  # the link target survives
        assert not page.has_unpublished_changes
        row = StringTranslation.objects.get(locale=clinic["fr"], translation_of__data="Needling")
        assert (row.data, row.translation_type, row.tool_name) == (
            "Needling [fr, revised]",
            "manual",
            "translation package",
        )

    def test_without_publish_the_pages_get_a_draft(self, clinic):
        data = fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revised)
        apply_import(plan_import(data), publish=False)
        page = fr_procedure(clinic)
        assert page.also_known_as == "Collagen induction therapy [fr]"  # live content unchanged
        assert page.has_unpublished_changes
        draft = page.get_latest_revision_as_object()
        assert draft.also_known_as == "Collagen induction therapy [fr, revised]"

    def test_blank_entries_keep_the_existing_translation(self, clinic, django_capture_on_commit_callbacks):
        def only_needling(source, current):
            return "Aiguilletage" if source == "Needling" else ""

        data = fill_targets(export_locale(clinic["fr"], "po").data, "po", only_needling)
        plan = plan_import(data)
        assert [change.new for change in plan.changes] == ["Aiguilletage"]
        with django_capture_on_commit_callbacks(execute=True):
            apply_import(plan, publish=True)
        page = fr_procedure(clinic)
        assert page.steps[1].value["title"] == "Aiguilletage"
        assert page.steps[0].value["title"] == "Numbing cream is applied [fr]"

    def test_stale_units_can_be_translated_again(self, clinic, change_summary, django_capture_on_commit_callbacks):
        new_summary = "Sessions last 10–20 minutes; 3–6 sessions are usually needed."
        change_summary(clinic["procedure"], new_summary)
        data = export_locale(clinic["fr"], "xliff2", scope="stale").data
        data = fill_targets(data, "xliff2", lambda source, current: "Les séances durent 10–20 minutes ; 3–6 séances.")
        with django_capture_on_commit_callbacks(execute=True):
            apply_import(plan_import(data), publish=True)
        assert fr_procedure(clinic).summary == "Les séances durent 10–20 minutes ; 3–6 séances."

    def test_the_translation_editor_shows_the_imported_strings(self, clinic, client, django_user_model):
        data = fill_targets(export_locale(clinic["fr"], "po").data, "po", revised)
        apply_import(plan_import(data), publish=False)
        client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
        response = client.get(f"/admin/pages/{fr_procedure(clinic).pk}/edit/")
        assert response.status_code == 200
        assert b"Collagen induction therapy [fr, revised]" in response.content
        assert b"wagtail-localize" in response.content or b"translation" in response.content


@pytest.mark.django_db
class TestCommand:
    def test_dry_run_prints_the_diff_and_changes_nothing(self, clinic, tmp_path, capsys, snapshot):
        def one_change(source, current):
            return "Aiguilletage" if source == "Needling" else current

        path = tmp_path / "fr.po"
        path.write_bytes(fill_targets(export_locale(clinic["fr"], "po").data, "po", one_change))
        before = snapshot()

        call_command("translation_import", str(path), "--dry-run")

        out = capsys.readouterr().out
        assert "Microneedling / steps.step.title" in out
        assert "  - Needling [fr]\n  + Aiguilletage\n" in out
        assert "1 changed" in out and "Dry run: nothing was changed." in out
        assert snapshot() == before

    def test_import_publishes_with_the_flag(self, clinic, tmp_path, capsys, django_capture_on_commit_callbacks):
        path = tmp_path / "fr.xlf"
        path.write_bytes(fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revised))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("translation_import", str(path), "--publish")
        assert "2 page(s) published" in capsys.readouterr().out
        assert fr_procedure(clinic).also_known_as == "Collagen induction therapy [fr, revised]"


@pytest.mark.django_db
def test_publishing_a_new_translated_child_with_its_parent_keeps_the_page_tree_sound(
    clinic, django_capture_on_commit_callbacks
):
    """A package can create a page's first translation under a parent it also updates.

    Publishing both from wagtail-localize's on-commit callbacks would write the parent's
    stale child count back; the import publishes each page from a fresh copy instead.
    """
    from wagtail.models import Page
    from wagtail_localize.models import Translation, TranslationSource

    from pages.models import BenefitsPage

    benefits = BenefitsPage(title="Benefits", slug="benefits", summary="What it helps with.")
    clinic["procedure"].add_child(instance=benefits)
    benefits.save_revision().publish()
    source, _created = TranslationSource.get_or_create_from_instance(benefits)
    Translation.objects.create(source=source, target_locale=clinic["fr"])

    def translate_all(source_text, current):
        return f"{source_text} [fr, revised]" if current else f"{source_text} [fr]"

    data = fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", translate_all)
    with django_capture_on_commit_callbacks(execute=True):
        apply_import(plan_import(data), publish=True)

    fr_benefits = benefits.get_translation(clinic["fr"])
    assert fr_benefits.live and fr_benefits.title == "Benefits [fr]"
    assert fr_procedure(clinic).title == "Microneedling [fr, revised]"
    assert Page.find_problems() == ([], [], [], [], [])
