"""The microneedling demo: a real multilingual site, loaded idempotently."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from pages.demo.loader import demo_key
from pages.models import (
    BenefitsPage,
    Device,
    DeviceComparisonPage,
    HomePage,
    ProcedureIndexPage,
    ProcedurePage,
    SafetyChecklistPage,
)
from tests.utils import demo_page

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TREE = [
    ("home", HomePage, None),
    ("treatments", ProcedureIndexPage, "home"),
    ("microneedling", ProcedurePage, "treatments"),
    ("microneedling-benefits", BenefitsPage, "microneedling"),
    ("microneedling-devices", DeviceComparisonPage, "microneedling"),
    ("microneedling-safety", SafetyChecklistPage, "microneedling"),
]


def test_locales_follow_the_setting(db):
    assert sorted(Locale.objects.values_list("language_code", flat=True)) == sorted(["en", "fr", "de", "es"])


def test_demo_builds_the_whole_tree_live_in_every_locale(demo):
    # One load of the demo serves every locale's assertions: loading it is the slow part.
    for language in LANGUAGES:
        for key, model, parent_key in TREE:
            page = demo_page(key, language)
            assert isinstance(page, model), (key, language)
            assert page.live and not page.has_unpublished_changes, (key, language)
            if parent_key:
                assert page.get_parent().specific == demo_page(parent_key, language)
        assert Device.objects.filter(locale__language_code=language).count() == 3


def test_the_page_tree_is_sound_and_grows(demo):
    assert Page.find_problems() == ([], [], [], [], [])
    french_procedure = demo_page("microneedling", "fr")
    assert french_procedure.get_children_count() == 3
    # A new page under a translated page lands in a free tree position.
    french_index = demo_page("treatments", "fr")
    french_index.add_child(
        instance=ProcedurePage(
            title="Peeling",
            slug="peeling",
            summary="Un peeling.",
            what_it_is="<p>Un soin.</p>",
            performed_by=["dermatologist"],
            locale=french_index.locale,
        )
    )
    assert french_index.get_children_count() == 2


def test_every_translation_is_a_complete_wagtail_localize_translation(demo):
    for language in [code for code in LANGUAGES if code != "en"]:
        translations = Translation.objects.filter(target_locale__language_code=language)
        # Six pages and three devices, each translated from its English source; in Spanish
        # also the Madrid clinic's home and its two clinic pages (Madrid serves es and en).
        assert translations.count() == 9 + (3 if language == "es" else 0), language
        for translation in translations:
            total, done = translation.get_progress()
            assert total > 0 and done == total, f"{translation.source} is {done}/{total} in {language}"
            assert translation.source.locale.language_code == "en"


def test_translations_carry_translated_text_and_synchronised_facts(demo):
    english, french = demo_page("microneedling", "en"), demo_page("microneedling", "fr")
    assert french.title == "Microneedling"
    assert french.also_known_as == "Thérapie par induction de collagène"
    assert "aiguilles stériles" in french.what_it_is
    facts = [
        "session_minutes_min",
        "session_minutes_max",
        "sessions_needed_min",
        "sessions_needed_max",
        "healing_days_min",
        "healing_days_max",
        "performed_by",
        "hero_image_id",
    ]
    assert {f: getattr(french, f) for f in facts} == {f: getattr(english, f) for f in facts}
    # Each market's reviewer signs off its own translation.
    assert english.reviewed_by == "Dr Ana Ruiz, Dermatologist"
    assert french.reviewed_by == "Dr Camille Martin, Dermatologue"
    assert (english.session_minutes_min, english.session_minutes_max) == (10, 20)
    assert (english.sessions_needed_min, english.sessions_needed_max) == (4, 6)
    assert english.performed_by == ["dermatologist", "aesthetician"]
    assert french.url_path != english.url_path


def test_comparison_points_at_the_devices_of_its_own_locale(demo):
    german = demo_page("microneedling-devices", "de")
    devices = [block.value["device"] for block in german.devices]
    assert [device.locale.language_code for device in devices] == ["de", "de", "de"]
    assert devices[0].name == "Professioneller Microneedling-Pen"
    matrix = german.comparison_matrix()
    needle = next(row for row in matrix["rows"] if row["attribute"] == "needle_length")
    assert needle["values"][0] == {"min": 0.25, "max": 2.5, "unit": "mm"}


def _snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "live")),
        "revisions": Revision.objects.count(),
        "sources": TranslationSource.objects.count(),
        "translations": Translation.objects.count(),
        "strings": list(StringTranslation.objects.order_by("pk").values_list("pk", "data")),
        "devices": Device.objects.count(),
        "images": get_image_model().objects.count(),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "password")),
    }


def test_a_second_run_changes_nothing(demo_with_accounts, capsys):
    before = _snapshot()
    call_command("load_demo_content")
    assert _snapshot() == before
    assert "nothing changed" in capsys.readouterr().out


def test_demo_accounts_can_sign_in_with_fitting_groups(demo_with_accounts, client):
    user_model = get_user_model()
    assert set(user_model.objects.get(username="editor").groups.values_list("name", flat=True)) == {"Editors"}
    assert set(user_model.objects.get(username="reviewer").groups.values_list("name", flat=True)) == {
        "Medical reviewers"
    }
    editor = user_model.objects.get(username="editor")
    home = demo_page("home")
    permissions = home.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    reviewer_permissions = home.permissions_for_user(user_model.objects.get(username="reviewer"))
    assert reviewer_permissions.can_publish()
    # Through the sign-in page, as a person signs in (the lockout checks every attempt).
    assert client.post("/admin/login/", {"username": "editor", "password": "clinic-demo"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_keys_are_stable_across_machines():
    # Apps may pin a demo page by key; the key must never change between installs.
    assert str(demo_key("microneedling")) == "561573f9-f694-588c-b0cd-6f8dd2466195"
