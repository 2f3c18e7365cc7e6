"""Small builders for translation tests: a clinic home and a procedure, translated into French.

Translations are made the way wagtail-localize makes them (TranslationSource, then
StringTranslations, then Translation.save_target), so every row a package reads is real.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from cms.translation.roles import ensure_translator_groups
from pages.models import HomePage, ProcedurePage

WHAT_IT_IS = (
    "<p>Microneedling pricks the skin with <b>fine needles</b> 0.5 to 2.5 mm long.</p>"
    '<p>Read <a href="https://example.org/review">the 2017 review</a> first.</p>'
)


def fake_french(text):
    """A stand-in translation that keeps markup and numbers, recognisable in assertions."""
    return f"{text} [fr]"


def translate(page, locale, translate_text=fake_french, publish=True):
    """Translate ``page`` into ``locale`` through wagtail-localize; returns its Translation.

    The slug is kept as is (a translated slug would need its own validation).
    """
    source, _created = TranslationSource.get_or_create_from_instance(page)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        data = segment.string.data if segment.context.path == "slug" else translate_text(segment.string.data)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": data, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    # wagtail-localize publishes on commit; the test transaction never commits, so run the callbacks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=publish)
    return translation


def build_procedure(parent, title="Microneedling", slug="microneedling"):
    procedure = ProcedurePage(
        title=title,
        slug=slug,
        summary="Sessions last 10–20 minutes; 4–6 sessions are usually needed.",
        also_known_as="Collagen induction therapy",
        what_it_is=WHAT_IT_IS,
        steps=[
            ("step", {"title": "Numbing cream is applied", "description": "The cream works for 30 minutes."}),
            ("step", {"title": "Needling", "description": "A pen or roller makes tiny punctures."}),
        ],
        performed_by=["dermatologist"],
    )
    parent.add_child(instance=procedure)
    procedure.save_revision().publish()
    return procedure


@pytest.fixture
def locales(db):
    # The site's locales (CMS_LOCALES) exist after migrate; get_or_create keeps this fixture independent of that.
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "fr", "de")}


def _translate_tree(clinic, code):
    def mark(text):
        return f"{text} [{code}]"

    translate(clinic["home"], clinic[code], translate_text=mark)
    clinic["translations"][code] = translate(clinic["procedure"], clinic[code], translate_text=mark)


@pytest.fixture
def clinic(locales):
    """Home > Microneedling in English, fully translated into French."""
    root = Page.get_first_root_node()
    home = HomePage(title="Clinic", slug="clinic", intro="<p>Welcome to the clinic.</p>")
    root.add_child(instance=home)
    home.save_revision().publish()
    procedure = build_procedure(home)
    clinic = {"home": home, "procedure": procedure, "translations": {}, **locales}
    _translate_tree(clinic, "fr")
    return clinic


@pytest.fixture
def clinic_de(clinic):
    """The clinic, translated into German as well (translator groups get the German tree)."""
    _translate_tree(clinic, "de")
    ensure_translator_groups()
    return clinic


@pytest.fixture
def translator(clinic, django_user_model):
    """The demo's translator: in the Translators group (admin access, wagtail-localize's
    translate permission) and in every locale's translator group, as the product makes them."""
    group, _created = Group.objects.get_or_create(name="Translators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="submit_translation", content_type__app_label="wagtail_localize"),
    )
    user = django_user_model.objects.create_user("translator", password="pw")
    user.groups.add(group, *ensure_translator_groups().values())
    return user


def _translation_rows():
    """Every StringTranslation as comparable tuples: what an import must leave alone when it fails."""
    return sorted(
        StringTranslation.objects.values_list(
            "pk", "translation_of_id", "context_id", "locale_id", "data", "translation_type", "has_error"
        )
    )


def _page_contents():
    """Title, draft title and latest revision of every page: an import that fails must not change them."""
    return sorted(Page.objects.values_list("pk", "title", "draft_title", "latest_revision_id", "live"))


@pytest.fixture
def snapshot(db):
    """A callable giving every StringTranslation row and page state: failed imports must leave both alone."""
    return lambda: (_translation_rows(), _page_contents())


@pytest.fixture
def change_summary():
    """An editor rewrites a procedure's summary and syncs the translation source ("Sync translated pages")."""

    def change(procedure, text):
        procedure.summary = text
        procedure.save_revision().publish()
        TranslationSource.update_or_create_from_instance(procedure)

    return change
