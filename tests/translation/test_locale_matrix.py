"""Translators stay in their locale on every path that writes (or hands out) translations.

One matrix: each of the product's roles (its groups, as ``ensure_translator_groups``
and the demo's ``ensure_groups`` make them) x each target locale x each path, against
the expected allow or deny. An allowed path must have its effect; a refused one must
change nothing.
"""

import io
from urllib.parse import urlencode

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from cms.translation.packages.export import export_locale
from cms.translation.roles import ensure_translator_groups
from pages.demo.accounts import ensure_groups
from tests.translation.builders_status import english_home, locales, procedure_page, translate_into, user

pytestmark = pytest.mark.django_db

PACKAGES = "/admin/translation-packages/"
ROLES = {
    # role: the product's groups a member is in
    "translator (fr)": ["Translators (fr)"],
    "translator (fr) who starts translations": ["Translators", "Translators (fr)"],
    "editor": ["Editors"],
    "medical reviewer": ["Medical reviewers"],
}
PATHS = (
    "packages export",
    "packages import",
    "command export",
    "command import",
    "translation editor",
    "editor string",
    "machine translation",
    "start translation",
    "status API",
)
# Editors and reviewers hold page rights in every locale, so they may edit any translation
# in the admin; editors also hold wagtail-localize's translate permission (its migration
# gives it to Wagtail's "Editors"), so they use packages and start translations too. The
# status API takes API keys, never a user's session.
IN_THE_ADMIN = {"translation editor", "editor string", "machine translation"}
WITH_PACKAGES = {"packages export", "packages import", "command export", "command import"}
ALLOWED = {
    "translator (fr)": {"fr": WITH_PACKAGES | IN_THE_ADMIN, "de": set()},
    "editor": {code: WITH_PACKAGES | IN_THE_ADMIN | {"start translation"} for code in ("fr", "de")},
    "medical reviewer": {code: IN_THE_ADMIN for code in ("fr", "de")},
}
ALLOWED["translator (fr) who starts translations"] = {
    "fr": ALLOWED["translator (fr)"]["fr"] | {"start translation"},
    "de": set(),
}


@pytest.fixture
def site(settings, tmp_path):
    """An English home and procedure translated into French and German (nothing translated
    yet), a second procedure not yet translated, and the product's groups."""
    settings.TRANSLATION_PACKAGE_UPLOAD_DIR = tmp_path / "uploads"
    _en, fr, de = locales("en", "fr", "de")
    home = english_home()
    translate_into(home, fr, de)
    page = procedure_page(home)
    translate_into(page, fr, de)
    untranslated = procedure_page(home, title="Dermaplaning", slug="dermaplaning")
    groups = {**ensure_groups(), **{group.name: group for group in ensure_translator_groups().values()}}
    return {"fr": fr, "de": de, "page": page, "untranslated": untranslated, "groups": groups, "tmp": tmp_path}


def state():
    """Everything a refused path must leave as it was."""
    return (
        sorted(StringTranslation.objects.values_list("pk", "locale_id", "data", "translation_type")),
        sorted(Page.objects.values_list("pk", "locale_id", "title", "latest_revision_id")),
        Translation.objects.count(),
    )


def package(locale, marker):
    """The locale's PO package with one unit translated as ``marker``."""
    po = polib.pofile(export_locale(locale, "po").data.decode())
    po[0].msgstr = marker
    return str(po).encode()


def translated(marker):
    return StringTranslation.objects.filter(data=marker).exists()


def translation_of(site, locale):
    source = TranslationSource.objects.get_for_instance(site["page"])
    return Translation.objects.get(source=source, target_locale=locale)


# Each probe tries one path as ``member`` into ``locale`` and says whether it went through.


def packages_export(client, member, site, locale):
    form = {"locales": [locale.language_code], "format": "po", "scope": "all", "root": ""}
    response = client.post(PACKAGES + "export/", form)
    return response.status_code == 200 and "attachment" in response.get("Content-Disposition", "")


def packages_import(client, member, site, locale):
    marker = f"packages {locale.language_code}"
    upload = SimpleUploadedFile("package.po", package(locale, marker), content_type="text/x-gettext-translation")
    response = client.post(PACKAGES + "import/", {"file": upload})
    if response.status_code == 200 and response.context["pending"]:
        client.post(PACKAGES + "import/apply/", {"token": response.context["pending"]["token"]})
    return translated(marker)


def command_export(client, member, site, locale):
    out = site["tmp"] / f"{member.username}-{locale.language_code}.po"
    try:
        call_command("translation_export", "--locale", locale.language_code, "--format", "po", "--out", str(out),
                     "--user", member.username, stdout=io.StringIO())  # fmt: skip
    except CommandError:
        return False
    return out.exists()


def command_import(client, member, site, locale):
    marker = f"command {locale.language_code}"
    path = site["tmp"] / f"in-{member.username}-{locale.language_code}.po"
    path.write_bytes(package(locale, marker))
    try:
        call_command("translation_import", str(path), "--user", member.username, stdout=io.StringIO())
    except CommandError:
        return False
    return StringTranslation.objects.filter(data=marker, last_translated_by=member).exists()


def translation_editor(client, member, site, locale):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[site["page"].get_translation(locale).pk]))
    return response.status_code == 200 and response.context["translation"].target_locale == locale


def editor_string(client, member, site, locale):
    translation = translation_of(site, locale)
    segment = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    marker = f"editor {locale.language_code}"
    client.put(url, urlencode({"value": marker}), content_type="application/x-www-form-urlencoded")
    return translated(marker)


def machine_translation(client, member, site, locale):
    client.post(reverse("wagtail_localize:machine_translate", args=[translation_of(site, locale).pk]))
    return StringTranslation.objects.filter(locale=locale, translation_type="machine").exists()


def start_translation(client, member, site, locale):
    url = reverse("wagtail_localize:submit_page_translation", args=[site["untranslated"].pk])
    client.post(url, {"locales": [locale.pk]})
    return site["untranslated"].has_translation(locale)


def status_api(client, member, site, locale):
    return client.get("/api/v1/translation-status/", {"locale": locale.language_code}).status_code == 200


PROBES = dict(zip(PATHS, (packages_export, packages_import, command_export, command_import, translation_editor,
                          editor_string, machine_translation, start_translation, status_api), strict=True))  # fmt: skip


@pytest.mark.parametrize("code", ["fr", "de"])
@pytest.mark.parametrize("role", list(ROLES))
def test_role_locale_path_matrix(site, role, code, django_capture_on_commit_callbacks):
    member = user(role.replace(" ", "-").replace("(", "").replace(")", ""), *(site["groups"][n] for n in ROLES[role]))
    client = Client()
    client.force_login(member)
    locale = site[code]
    outcomes = {}
    for path, probe in PROBES.items():
        before = state()
        with django_capture_on_commit_callbacks(execute=True):
            outcomes[path] = probe(client, member, site, locale)
        if not outcomes[path]:
            assert state() == before, f"{role} was refused {path} into {code}, yet something changed"
    allowed = ALLOWED[role][code]
    assert {path for path, went_through in outcomes.items() if went_through} == allowed
