"""A translator can finish, in a real browser.

The translator (the product's "Translators (fr)" group: no publish permission) checks
the packages screen, translates a procedure in wagtail-localize's editor, where the
main action is "Submit for review" (never "Convert to alias page"), and submits; a
medical reviewer approves, which publishes; the translator sees the page live.
"""

import pytest
from playwright.sync_api import expect
from wagtail_localize.operations import TranslationCreator

from cms.review.workflow import MEDICAL_REVIEWERS
from cms.translation.roles import ensure_translator_groups
from pages.models import ProcedurePage
from tests.editor.conftest import make_group, make_reviewer, make_user, publish_approved

from .test_review_and_translation_flow import FRENCH, People, step, translate_visible_segments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def people(chromium, live_server):
    crowd = People(chromium, live_server.url)
    yield crowd
    for page in crowd.open_pages:
        page.context.close()


@pytest.fixture
def french_draft(migration_data, clinic):
    """An English procedure approved and live, and the French translation an editor started."""
    page = ProcedurePage(
        title="Microneedling",
        slug="microneedling",
        summary="Tiny needles prompt the skin to make new collagen.",
        what_it_is="<p>A minimally invasive treatment that makes tiny punctures in the skin.</p>",
        performed_by=["dermatologist"],
    )
    make_group(MEDICAL_REVIEWERS, pages=[clinic.home, clinic.fr_home], page_permissions=["change_page"])
    clinic.index.add_child(instance=page)
    publish_approved(page, make_reviewer("reviewer-en", "en-GB"))  # the English source goes live approved
    TranslationCreator(None, [clinic.french]).create_translations(page)
    translators = ensure_translator_groups()["fr"]
    make_user("translator", translators, first_name="Théo", last_name="Traducteur")
    # The French market's reviewer, who approves the translation.
    make_reviewer(
        "reviewer", "fr-FR", name="Dr Camille Martin", qualification="Dermatologue", number="RPPS 10101234567"
    )
    return page.get_translation(clinic.french)


def test_translator_translates_submits_and_sees_the_reviewer_publish(migration_data, clinic, french_draft, people):
    with step(people, "1-packages-screen"):
        translator = people.sign_in("translator")
        translator.goto("/admin/translation-packages/")
        for name in ("Download", "Check the file (dry run)"):
            button = translator.get_by_role("button", name=name)
            expect(button).to_be_visible()
            expect(button).to_have_text(name)
            # The words are shown beside a small icon, not hidden behind a huge one.
            icon, box = button.locator("svg").bounding_box(), button.bounding_box()
            assert icon["height"] <= 24 and icon["width"] <= 24 and box["height"] <= 60
        offered = translator.locator("input[name=locales]").evaluate_all("boxes => boxes.map(box => box.value)")
        assert sorted(offered) == ["fr"]  # only the locale their group translates into, never the source
        choices = translator.locator("select[name=locale] option").evaluate_all("options => options.map(o => o.value)")
        assert "en" not in choices
        expect(translator.get_by_label("Publish the updated pages")).to_have_count(0)

    with step(people, "2-translator-translates-and-submits"):
        translator.goto(f"/admin/pages/{french_draft.pk}/edit/")
        expect(translator.get_by_text("English to French translation").first).to_be_visible()
        expect(translator.get_by_text("Convert to alias page")).to_have_count(0)
        expect(translator.get_by_text("Stop Synced translation")).to_be_hidden()
        tabs = translator.get_by_role("tab")
        for number in range(tabs.count()):
            tabs.nth(number).click()
            translate_visible_segments(translator)
        expect(translator.locator("li.incomplete")).to_have_count(0)
        translator.get_by_role("button", name="Submit for review").click()
        expect(translator.get_by_text("was submitted for review")).to_be_visible()

    french_draft.refresh_from_db()
    assert french_draft.workflow_in_progress
    # Submitted, not published: a new translation starts as a draft and waits for its reviewer.
    assert not french_draft.live

    with step(people, "3-reviewer-publishes"):
        reviewer = people.sign_in("reviewer")
        # The dashboard's "Awaiting your review" lists the French page with its actions.
        reviewer.get_by_role("button", name="Actions").first.click()
        reviewer.get_by_role("button", name="Approve", exact=True).click()
        expect(reviewer.get_by_text("Awaiting your review")).to_have_count(0)

    with step(people, "4-translator-sees-it-live"):
        translator.goto(f"/admin/pages/{french_draft.pk}/edit/")
        expect(translator.get_by_text("Live").first).to_be_visible()
        response = translator.request.get(f"/api/v1/pages/{french_draft.translation_key}/?locale=fr")
        assert response.status == 200, response.text()
        assert response.json()["content"]["summary"] == FRENCH["Tiny needles prompt the skin to make new collagen."]
