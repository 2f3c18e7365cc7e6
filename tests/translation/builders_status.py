"""Small builders for translation status tests: a clinic page in English with a French
translation made through wagtail-localize, without loading the whole demo."""

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from pages.models import HomePage, ProcedurePage


def locales(*codes):
    """The default locale plus the given ones, created if missing."""
    return [Locale.objects.get_or_create(language_code=code)[0] for code in codes]


def english_home():
    """An English home page under Wagtail's root, in place of Wagtail's welcome page."""
    root = Page.get_first_root_node()
    home = HomePage(title="Clinic", slug="clinic", locale=Locale.objects.get(language_code="en"))
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    site.root_page = home
    site.save()
    welcome.delete()
    return home


def procedure_page(parent, **fields):
    """A published microneedling procedure page with two steps and two paragraphs."""
    values = {
        "title": "Microneedling",
        "slug": "microneedling",
        "summary": "Tiny needles prompt the skin to make collagen.",
        "what_it_is": "<p>A minimally invasive treatment.</p><p>It makes tiny punctures.</p>",
        "steps": [
            ("step", {"title": "Numbing cream is applied", "description": "Cream numbs the area."}),
            ("step", {"title": "Needling", "description": "A pen or roller is passed over the skin."}),
        ],
        "session_minutes_min": 10,
        "session_minutes_max": 20,
        "performed_by": ["dermatologist"],
    }
    values.update(fields)
    page = ProcedurePage(**values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def translate_into(page, *target_locales):
    """Submit ``page`` for translation as the admin's "Translate" action does (its
    parent must already exist in each locale); returns its source. Nothing is
    translated yet: the translated page shows the English text."""
    TranslationCreator(user=None, target_locales=target_locales).create_translations(page)
    return TranslationSource.objects.get_for_instance(page)


def translate_segments(source, locale, *, machine=False, only=None, prefix="FR "):
    """Give every (or the ``only`` first N) string segment of ``source`` a translation."""
    segments = StringSegment.objects.filter(source=source).select_related("string").order_by("order")
    if only is not None:
        segments = segments[:only]
    for segment in segments:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": prefix + segment.string.data,
                "translation_type": "machine" if machine else "manual",
                "tool_name": "Test machine" if machine else "",
            },
        )


def edit_source(page, **changes):
    """Change the English page, publish it, and refresh its translation source, as
    wagtail-localize's "Sync translated pages" does."""
    page = page.specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(page)
    source.update_from_db()
    return source


def user(username, *groups, superuser=False):
    account = get_user_model().objects.create_user(username=username, password="pw", is_superuser=superuser)
    account.groups.add(*groups)
    return account


def stale_french_site(*, machine=False, home_into=("fr",)):
    """English home and procedure; the procedure translated into French, then its source
    summary edited so one French segment is stale. The home is translated into
    ``home_into`` (language codes). Returns ``{"fr", "home", "page"}``."""
    _en, fr, de = locales("en", "fr", "de")
    by_code = {"fr": fr, "de": de}
    home = english_home()
    translate_into(home, *[by_code[code] for code in home_into])
    page = procedure_page(home)
    source = translate_into(page, fr)
    translate_segments(source, fr, machine=machine)
    edit_source(page, summary="Fine needles start the skin's own repair.")
    return {"fr": fr, "home": home, "page": page}
