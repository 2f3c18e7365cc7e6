"""The whole editorial flow in a real browser, one person after another.

1. An editor logs in, creates a procedure page with its facts and submits it for review.
2. The UK medical reviewer approves it (which publishes it with their name and qualification).
3. A translator translates it into French in wagtail-localize's editor (which offers no
   publish: French pages need the French market's approval) and submits it for review.
4. The French medical reviewer approves it on the page's sign-off screen.
5. The French page comes out of the API with the translated text, the same numbers and
   the French approval.

Every wait is one of Playwright's auto-waiting locators or assertions; there are no sleeps.
"""

import contextlib
import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from cms.review.models import Market, ReviewerProfile
from cms.review.workflow import MEDICAL_REVIEWERS
from pages.models import ProcedurePage
from tests.editor.conftest import PASSWORD, make_group, make_user

from .conftest import ARTIFACTS, watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FRENCH = {
    "Microneedling": "Le microneedling",
    "microneedling": "microneedling",
    "Tiny needles prompt the skin to make new collagen.": (
        "De fines aiguilles incitent la peau à produire du collagène."
    ),
    "A minimally invasive treatment that makes tiny punctures in the skin.": (
        "Un soin peu invasif qui crée de minuscules perforations dans la peau."
    ),
}


class People:
    """One browser context (one signed-in person) per role; the failure hook captures their pages."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.open_pages = []

    def csp_violations(self):
        """Every Content-Security-Policy violation any person's browser reported."""
        return [text for page in self.open_pages for text in page.csp_violations()]

    def sign_in(self, username):
        context = self.browser.new_context(
            base_url=self.base_url, locale="en-GB", viewport={"width": 1400, "height": 1000}
        )
        page = context.new_page()
        page.csp_violations = watch_csp_violations(page)
        self.open_pages.append(page)
        page.goto("/admin/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # Signed in: the dashboard (whose panels depend on the person's permissions).
        expect(page).to_have_url(re.compile(r"/admin/$"))
        expect(page.get_by_role("main")).to_be_visible()
        return page


@pytest.fixture
def people(chromium, live_server):
    crowd = People(chromium, live_server.url)
    yield crowd
    for page in crowd.open_pages:
        page.context.close()


@contextlib.contextmanager
def step(people, name):
    """Name the step in the artifacts when it fails."""
    try:
        yield
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(people.open_pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"step-{name}-{number}.png"), full_page=True)
        raise


@pytest.fixture
def roles(clinic):
    editors = make_group("Editors", pages=[clinic.home], page_permissions=["add_page", "change_page"])
    translators = make_group(
        "Translators (fr)",
        pages=[clinic.fr_home],
        page_permissions=["add_page", "change_page", "publish_page"],
        permissions=[Permission.objects.get(content_type__app_label="wagtail_localize", codename="submit_translation")],
    )
    make_user("editor", editors, first_name="Eve", last_name="Editor")
    # As the demo loader grants them: reviewers can open and correct pages while reviewing.
    reviewers = make_group(MEDICAL_REVIEWERS, pages=[clinic.home, clinic.fr_home], page_permissions=["change_page"])
    for username, name, qualification, number, market in (
        ("reviewer", "Dr Ana Ruiz", "Dermatologist", "GMC 7123456", "en-GB"),
        ("reviewer-fr", "Dr Camille Martin", "Dermatologue", "RPPS 10101234567", "fr-FR"),
    ):
        user = make_user(username, reviewers, first_name=name.split()[1], last_name=name.split()[2])
        profile = ReviewerProfile.objects.create(
            user=user, full_name=name, qualification=qualification, registration_number=number
        )
        profile.markets.add(Market.objects.get(code=market))
    make_user("translator", translators, first_name="Théo", last_name="Traducteur")


def translate_visible_segments(translator):
    """Translate every untranslated segment on the open tab from FRENCH, waiting for each save."""
    segments = translator.locator("li.incomplete", has=translator.get_by_role("button", name="Translate"))
    while segments.count():
        segment = segments.first
        source = segment.locator("p").first.inner_text().strip()
        segment.get_by_role("button", name="Translate").click()
        box = translator.locator("textarea:focus")
        box.fill(FRENCH[source])
        box.press("Enter")
        expect(translator.get_by_text(FRENCH[source], exact=True).first).to_be_visible()


def test_editor_reviewer_translator_and_api(migration_data, clinic, roles, people, live_server):
    with step(people, "1-editor-creates-and-submits"):
        editor = people.sign_in("editor")
        editor.goto(f"/admin/pages/add/pages/procedurepage/{clinic.index.pk}/")
        editor.locator("#id_title").fill("Microneedling")
        editor.locator("#id_summary").fill("Tiny needles prompt the skin to make new collagen.")
        what_it_is = editor.locator('[data-contentpath="what_it_is"] [contenteditable="true"]')
        what_it_is.click()
        what_it_is.press_sequentially("A minimally invasive treatment that makes tiny punctures in the skin.")
        editor.get_by_role("tab", name="Facts").click()
        for field, value in {
            "session_minutes_min": "10",
            "session_minutes_max": "20",
            "sessions_needed_min": "4",
            "sessions_needed_max": "6",
            "healing_days_min": "2",
            "healing_days_max": "21",
        }.items():
            editor.locator(f"#id_{field}").fill(value)
        editor.get_by_label("Dermatologist").check()
        editor.get_by_label("Aesthetician").check()
        # The editor has no way to publish it, only to submit it.
        expect(editor.locator('[name="action-publish"]')).to_have_count(0)
        editor.get_by_role("button", name="More actions").click()
        editor.get_by_role("button", name="Submit to Medical review").click()
        expect(editor.get_by_text("created and submitted for moderation")).to_be_visible()

    page = ProcedurePage.objects.get(slug="microneedling", locale=clinic.english)
    assert not page.live and page.workflow_in_progress

    with step(people, "2-reviewer-approves"):
        reviewer = people.sign_in("reviewer")
        reviewer.goto(f"/admin/pages/{page.pk}/edit/")
        reviewer.get_by_role("button", name="More actions").click()
        reviewer.get_by_role("button", name="Approve and Publish", exact=True).click()
        expect(reviewer.get_by_text("Page 'Microneedling' has been updated.")).to_be_visible()
        expect(reviewer.get_by_text("permission")).to_have_count(0)

    page.refresh_from_db()
    assert page.live and page.reviewed_by == "Dr Ana Ruiz, Dermatologist"

    with step(people, "3-translator-translates-and-submits"):
        translator = people.sign_in("translator")
        translator.goto(f"/admin/localize/submit/page/{page.pk}/")
        translator.get_by_label("French").check()
        translator.get_by_role("button", name="Submit").click()
        # wagtail-localize opens its editor on the new French page, one tab per edit tab.
        expect(translator.get_by_text("English to French translation").first).to_be_visible()
        tabs = translator.get_by_role("tab")
        for number in range(tabs.count()):
            tabs.nth(number).click()
            translate_visible_segments(translator)
        expect(translator.locator("li.incomplete")).to_have_count(0)
        expect(translator.get_by_role("button", name="Publish in French")).to_have_count(0)
        french = ProcedurePage.objects.get(translation_key=page.translation_key, locale=clinic.french)
        translator.goto(f"/admin/review/trail/{french.pk}/")
        translator.get_by_role("button", name="Submit for medical review").click()
        expect(translator.get_by_text("was submitted for medical review")).to_be_visible()

    french.refresh_from_db()
    assert not french.live and french.workflow_in_progress

    with step(people, "4-french-reviewer-approves"):
        reviewer_fr = people.sign_in("reviewer-fr")
        reviewer_fr.goto(f"/admin/review/trail/{french.pk}/")
        reviewer_fr.get_by_role("button", name="Approve and publish").click()
        expect(reviewer_fr.get_by_text("was approved and published")).to_be_visible()

    french.refresh_from_db()
    assert french.live

    with step(people, "5-api-serves-the-french-page"):
        response = translator.request.get(f"{live_server.url}/api/v1/pages/{page.translation_key}/?locale=fr")
        assert response.status == 200, response.text()
        data = response.json()
        english = translator.request.get(f"{live_server.url}/api/v1/pages/{page.translation_key}/?locale=en").json()

    assert data["locale"] == "fr" and data["fallback"] is False
    assert data["title"] == "Le microneedling"
    assert data["content"]["summary"] == FRENCH["Tiny needles prompt the skin to make new collagen."]
    assert "minuscules perforations" in data["content"]["what_it_is"]
    for fact in ("session_minutes", "sessions_needed", "healing_days", "performed_by"):
        assert data["content"][fact] == english["content"][fact]
    assert data["content"]["session_minutes"] == {"min": 10, "max": 20, "unit": "min"}
    assert data["meta"]["medical_review"]["reviewed_by"] == "Dr Camille Martin, Dermatologue"
    assert (data["meta"]["medical_review"]["market"], data["meta"]["medical_review"]["status"]) == ("fr-FR", "approved")
    # The admin (dashboards, add and edit views, wagtail-localize's editor) worked under
    # its Content-Security-Policy all along: no browser reported a violation.
    violations = people.csp_violations()
    assert not violations, "\n".join(violations)
