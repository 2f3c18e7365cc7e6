"""The admin's "Translation packages" screen, as a translator uses it."""

import io
import zipfile

import polib
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.translation.packages.export import export_locale
from cms.translation.roles import ensure_translator_groups
from tests.translation.builders_status import user as make_user

INDEX = "/admin/translation-packages/"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads wait in a folder of this test's own (the local "translation_packages" storage)."""
    folder = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "translation_packages": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


@pytest.fixture
def translator_client(client, translator):
    client.force_login(translator)
    return client


def revised_po(clinic, edit=None):
    po = polib.pofile(export_locale(clinic["fr"], "po").data.decode())
    for entry in po:
        if entry.msgid == "Needling":
            entry.msgstr = "Aiguilletage"
        if edit:
            edit(entry)
    return SimpleUploadedFile("fr.po", str(po).encode(), content_type="text/x-gettext-translation")


def fr_step_titles(clinic):
    page = clinic["procedure"].get_translation(clinic["fr"]).specific
    return [step.value["title"] for step in page.get_latest_revision_as_object().steps]


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_visitors_are_sent_to_the_login(self, client):
        response = client.get(INDEX)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/admin/translation-packages/")

    def test_admin_users_without_translation_rights_are_refused(self, client, django_user_model):
        editors = Group.objects.create(name="Marketing")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        editor = django_user_model.objects.create_user("editor", password="pw")
        editor.groups.add(editors)
        client.force_login(editor)
        response = client.get(INDEX, follow=True)
        assert response.redirect_chain == [("/admin/", 302)]  # Wagtail's answer to PermissionDenied
        assert "Sorry, you do not have permission to access this area." in [
            str(message).strip() for message in response.context["messages"]
        ]
        assert b"Translation packages" not in response.content

    def test_translators_see_the_screen_and_the_menu_item(self, translator_client):
        response = translator_client.get(INDEX)
        assert response.status_code == 200
        assert b"Download a package" in response.content
        assert b"Upload a translated package" in response.content
        assert b"Translation packages" in translator_client.get("/admin/").content

    def test_a_translators_group_is_enough(self, client, django_user_model):
        group = Group.objects.create(name="Translators (French)")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        user = django_user_model.objects.create_user("marie", password="pw")
        user.groups.add(group)
        client.force_login(user)
        assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
class TestDownload:
    def test_one_locale_downloads_its_file(self, clinic, translator_client):
        response = translator_client.post(
            INDEX + "export/", {"locales": ["fr"], "format": "po", "scope": "all", "root": ""}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="translations-fr-all.po"'
        po = polib.pofile(response.content.decode())
        assert po.metadata["Language"] == "fr"
        assert "Needling" in [entry.msgid for entry in po]

    def test_several_locales_download_a_zip_limited_to_the_root(self, clinic_de, translator_client):
        clinic = clinic_de
        response = translator_client.post(
            INDEX + "export/",
            {"locales": ["fr", "de"], "format": "xliff2", "scope": "all", "root": clinic["procedure"].pk},
        )
        assert response["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            fr = archive.read("translations-fr-all.xlf").decode()
        assert "Microneedling" in fr and "Welcome to the clinic." not in fr

    def test_a_form_without_locale_explains_what_is_missing(self, clinic, translator_client):
        response = translator_client.post(INDEX + "export/", {"format": "po", "scope": "all"})
        assert response.status_code == 400
        assert response.context["export_form"].errors == {"locales": ["This field is required."]}

    def test_an_empty_scope_says_so_instead_of_downloading_an_invalid_file(self, clinic, translator_client):
        response = translator_client.post(
            INDEX + "export/", {"locales": ["fr"], "format": "xliff2", "scope": "stale", "root": ""}
        )
        assert response.status_code == 400
        assert response.context["export_form"].non_field_errors() == [
            "Nothing to export: fr has no segment in the scope “stale”."
        ]


@pytest.mark.django_db
class TestUpload:
    def test_upload_shows_the_diff_then_apply_saves_drafts(self, clinic, translator_client, snapshot):
        before = snapshot()
        response = translator_client.post(INDEX + "import/", {"file": revised_po(clinic), "locale": "fr"})
        assert response.status_code == 200
        (change,) = response.context["plan"].changes
        assert (change.old, change.new) == ("Needling [fr]", "Aiguilletage")
        assert b"<del>Needling [fr]</del>" in response.content and b"<ins>Aiguilletage</ins>" in response.content
        assert b"Apply as drafts" in response.content
        assert snapshot() == before  # the dry run wrote nothing

        token = response.context["pending"]["token"]
        response = translator_client.post(INDEX + "import/apply/", {"token": token}, follow=True)
        assert response.redirect_chain == [(INDEX, 302)]
        assert "fr.po imported: 1 translation(s) changed, 1 page(s) saved as drafts." in [
            str(message) for message in response.context["messages"]
        ]
        assert fr_step_titles(clinic) == ["Numbing cream is applied [fr]", "Aiguilletage"]

    def test_the_dry_run_counts_changes_marked_for_review(self, clinic, translator_client):
        def mark_fuzzy(entry):
            if entry.msgid == "Needling":
                entry.flags.append("fuzzy")

        response = translator_client.post(INDEX + "import/", {"file": revised_po(clinic, mark_fuzzy)})
        assert response.status_code == 200
        assert response.context["plan"].needs_review == 1
        assert b"1 change is marked for review in the file" in response.content

    def test_a_rejected_file_lists_each_unit_and_offers_no_apply(self, clinic, translator_client, snapshot):
        def wrong_number(entry):
            entry.msgstr = entry.msgstr.replace("30 minutes", "20 minutes")

        before = snapshot()
        response = translator_client.post(INDEX + "import/", {"file": revised_po(clinic, wrong_number)})
        assert response.status_code == 400
        (rejection,) = response.context["plan"].rejections
        assert rejection.reason.endswith("the source has 30, the translation has 20.")
        assert rejection.unit_id.encode() in response.content
        # The translator finds the unit again by page and field, not only by its id.
        assert (rejection.page_title, rejection.field_path) == ("Microneedling", "steps.step.description")
        assert b"Microneedling / steps.step.description" in response.content
        assert b"The file was rejected; nothing was imported" in response.content
        assert b"Apply" not in response.content
        assert snapshot() == before

    def test_an_oversized_file_is_refused_by_the_form(self, clinic, translator_client, settings, snapshot):
        settings.TRANSLATION_PACKAGE_MAX_BYTES = 100
        before = snapshot()
        response = translator_client.post(INDEX + "import/", {"file": revised_po(clinic)})
        assert response.status_code == 400
        assert "packages may be at most 100 bytes" in response.context["import_form"].errors["file"][0]
        assert snapshot() == before

    def test_a_file_that_is_not_a_package_is_explained(self, clinic, translator_client, snapshot):
        before = snapshot()
        garbage = SimpleUploadedFile("notes.xlf", b"<xliff><oops></xliff>")
        response = translator_client.post(INDEX + "import/", {"file": garbage})
        assert response.status_code == 400
        assert response.context["error"].startswith("The XLIFF file is not well-formed XML")
        assert snapshot() == before

    def test_apply_needs_the_token_of_this_session(self, clinic, translator_client, snapshot):
        translator_client.post(INDEX + "import/", {"file": revised_po(clinic)})
        before = snapshot()
        response = translator_client.post(INDEX + "import/apply/", {"token": "guessed"}, follow=True)
        assert "That upload has expired or belongs to someone else; upload the file again." in [
            str(message) for message in response.context["messages"]
        ]
        assert snapshot() == before


@pytest.mark.django_db
def test_a_huge_upload_is_refused_before_it_is_read(clinic, translator_client, settings, snapshot):
    settings.TRANSLATION_PACKAGE_MAX_BYTES = 1000
    before = snapshot()
    big = SimpleUploadedFile("fr.po", b"#" * 200_000)
    response = translator_client.post(INDEX + "import/", {"file": big})
    assert response.status_code == 413
    assert response.context["error"].startswith("The file is larger than the 1000 bytes a package may have")
    assert snapshot() == before


@pytest.mark.django_db
def test_an_upload_to_a_storage_that_is_down_is_refused_with_the_reason(
    clinic, translator_client, storage_down, snapshot
):
    before = snapshot()
    response = translator_client.post(INDEX + "import/", {"file": revised_po(clinic), "locale": "fr"})
    assert response.status_code == 503
    assert response.context["error"] == (
        "Nothing was saved: the file storage could not be reached. Try again in a moment; "
        "if this goes on, tell your administrator."
    )
    assert b"Apply as drafts" not in response.content
    assert "translation_package_upload" not in translator_client.session
    assert snapshot() == before


def test_a_package_for_another_locale_is_refused_in_the_translators_language(clinic_de, client, snapshot):
    """A member of "Translators (fr)" alone uploads a German package: refused at once, with
    the reason in their language, and nothing is imported."""
    clinic = clinic_de
    french_translator = make_user("amelie", ensure_translator_groups()["fr"])
    client.force_login(french_translator)
    german = polib.pofile(export_locale(clinic["de"], "po").data.decode())
    german[0].msgstr = "Ein deutscher Satz"
    upload = SimpleUploadedFile("de.po", str(german).encode(), content_type="text/x-gettext-translation")
    before = snapshot()

    response = client.post(INDEX + "import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 403
    assert response.context["error"] == (
        "Vous ne pouvez pas traduire en Allemand (de) ; vos langues : fr. Rien n’a été importé."
    )
    assert response.context["pending"] is None
    assert snapshot() == before
    # The German locale is not even offered.
    assert [code for code, _name in response.context["import_form"].fields["locale"].choices] == ["", "fr"]
