"""What the project relies on in wagtail-localize's translation editor
(``cms.translation.editor``), pinned, and the translator's "Submit for review"."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
import wagtail_localize
from django.test import RequestFactory
from django.urls import reverse
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import edit_translation

from cms.review.workflow import ensure_review_workflow
from cms.translation.editor import DESTRUCTIVE_LINKS, DESTRUCTIVE_PERMS, LINKS, PERMS, STRINGS
from cms.translation.roles import ensure_translator_groups
from tests.translation.test_qa import flag_home_intro

EDITOR_JS = Path(wagtail_localize.__file__).parent / "static" / "wagtail_localize" / "js" / "wagtail-localize.js"


def test_the_editor_footer_is_built_as_the_adapter_assumes():
    script = EDITOR_JS.read_text(encoding="utf-8")
    # "Convert to alias page" appears only when its link is given, and the last action is the main one.
    assert re.search(r"\w\.convertToAliasUrl&&\w\.push\(", script)
    assert re.search(r"\w\.canDelete&&\w\.push\(", script)
    assert "const l=i.pop();" in script
    assert 'rt()("Convert to alias page")' in script


@pytest.fixture
def french_home(clinic):
    return clinic["home"].get_translation(clinic["fr"]).specific


@pytest.fixture
def fr_translator(clinic, django_user_model):
    user = django_user_model.objects.create_user("théo", password="pw")
    user.groups.add(ensure_translator_groups()["fr"])
    return user


def home_translation(clinic):
    return Translation.objects.get(source__object_id=clinic["home"].translation_key, target_locale=clinic["fr"])


def editor_props(client, page):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    match = re.search(r'class="js-translation-editor" data-props="([^"]*)"', html)
    return json.loads(unescape(match[1])), html


@pytest.mark.django_db
class TestEditorForTranslators:
    def test_wagtail_localize_props_have_the_keys_the_adapter_changes(self, clinic, french_home, django_user_model):

        request = RequestFactory().get("/")
        request.user = django_user_model.objects.create_superuser("a", "a@example.org", "pw")
        response = edit_translation(request, home_translation(clinic), french_home)
        assert response.status_code == 200
        props = json.loads(unescape(re.search(r'data-props="([^"]*)"', response.content.decode())[1]))
        assert set(DESTRUCTIVE_LINKS) <= set(props[LINKS]) and set(DESTRUCTIVE_PERMS) <= set(props[PERMS])
        assert {"segment_id", "comment"} <= set(props[STRINGS][0])

    def test_a_translator_gets_submit_for_review_and_no_destructive_action(
        self, clinic, french_home, client, fr_translator
    ):
        client.force_login(fr_translator)
        props, html = editor_props(client, french_home)
        assert all(props[LINKS][key] is None for key in DESTRUCTIVE_LINKS)
        assert not any(props[PERMS][key] for key in DESTRUCTIVE_PERMS)
        assert "Submit for review" in html and "data-translator-actions" in html

    def test_a_flagged_segment_shows_its_problem(self, clinic, french_home, client, fr_translator):
        flag_home_intro(clinic)
        client.force_login(fr_translator)
        props, _html = editor_props(client, french_home)
        comments = [entry["comment"] for entry in props[STRINGS] if entry["comment"]]
        assert any("The numbers differ from the source" in comment for comment in comments)


@pytest.mark.django_db
class TestSubmitForReview:
    def test_submitting_keeps_the_live_page_and_starts_the_review(self, clinic, french_home, client, fr_translator):
        ensure_review_workflow()
        live_before = (french_home.intro, french_home.live_revision_id, french_home.last_published_at)
        row = flag_home_intro(clinic).string_translation
        row.data = "Bienvenue à la clinique."
        row.save()
        client.force_login(fr_translator)
        response = client.post(reverse("cms_translation_submit", args=[home_translation(clinic).pk]))
        assert response.status_code == 302
        french_home.refresh_from_db()
        assert (french_home.intro, french_home.live_revision_id, french_home.last_published_at) == live_before
        assert french_home.has_unpublished_changes and french_home.workflow_in_progress
        assert "Bienvenue à la clinique." in french_home.get_latest_revision_as_object().intro

    def test_a_flagged_translation_cannot_be_submitted(self, clinic, french_home, client, fr_translator):
        flag_home_intro(clinic)
        client.force_login(fr_translator)
        response = client.post(reverse("cms_translation_submit", args=[home_translation(clinic).pk]), follow=True)
        assert "failed a check" in response.content.decode()
        french_home.refresh_from_db()
        assert not french_home.workflow_in_progress and not french_home.has_unpublished_changes
