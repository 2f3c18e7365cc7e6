"""Machine translation: DeepL when configured, an offline, clearly marked placeholder
otherwise, and machine translations flagged as such in the status."""

import runpy
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.strings import StringValue

from cms.translation.machine import OfflinePlaceholderTranslator
from cms.translation.status import status_summaries
from tests.translation.builders_status import english_home, locales, procedure_page, translate_into, user

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "cms" / "settings" / "base.py"


def translate(html, source="en", target="fr"):
    translator = OfflinePlaceholderTranslator({})
    string = StringValue(html)
    return translator.translate(Locale(language_code=source), Locale(language_code=target), [string])[string].data


def test_placeholder_says_it_is_not_a_real_translation():
    assert "not a real translation" in str(OfflinePlaceholderTranslator.display_name)
    assert translate("Numbing cream is applied") == "[fr?] Ñûɱƀîñĝ çŕéåɱ îš åþþļîéđ"


def test_placeholder_keeps_numbers_markup_and_link_ids():
    source = 'Sessions last <b>10–20</b> minutes; needles of 0.5 mm, see <a id="a1">the 2017 review</a>.'
    result = translate(source)
    assert result.startswith("[fr?] ")
    assert "<b>10–20</b>" in result
    assert "0.5" in result and "2017" in result
    assert '<a id="a1">' in result and "</a>" in result
    # wagtail-localize accepts it as a translation of the source (no markup or link error).
    StringValue.from_translated_html(result)


def test_placeholder_is_deterministic_and_marks_the_target_locale():
    assert translate("Check the practitioner") == translate("Check the practitioner")
    assert translate("Check the practitioner", target="de").startswith("[de?] ")


def test_placeholder_translates_only_between_languages():
    translator = OfflinePlaceholderTranslator({})
    assert translator.can_translate(Locale(language_code="en"), Locale(language_code="fr"))
    assert not translator.can_translate(Locale(language_code="fr"), Locale(language_code="fr-ca"))


def test_settings_use_deepl_when_a_key_is_set(monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "secret:fx")
    monkeypatch.delenv("DEEPL_API_URL", raising=False)
    config = runpy.run_path(str(BASE_SETTINGS))["WAGTAILLOCALIZE_MACHINE_TRANSLATOR"]
    assert config == {
        "CLASS": "cms.translation.machine.GlossaryDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "secret:fx", "API_URL": ""},
    }


def test_production_settings_have_no_placeholder_without_a_key(monkeypatch):
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    assert runpy.run_path(str(BASE_SETTINGS))["WAGTAILLOCALIZE_MACHINE_TRANSLATOR"] is None


def test_test_settings_use_the_offline_placeholder():
    assert isinstance(get_machine_translator(), OfflinePlaceholderTranslator)


@pytest.mark.django_db
def test_translate_button_fills_the_page_and_status_flags_it_as_machine(client):
    _en, fr = locales("en", "fr")
    home = english_home()
    translate_into(home, fr)
    page = procedure_page(home)
    source = translate_into(page, fr)
    translation = Translation.objects.get(source=source, target_locale=fr)
    client.force_login(user("admin", superuser=True))

    response = client.post(reverse("wagtail_localize:machine_translate", args=[translation.pk]))

    assert response.status_code == 302
    stored = StringTranslation.objects.filter(locale=fr, context__object_id=page.translation_key)
    assert stored.count() == 9
    assert {row.translation_type for row in stored} == {"machine"}
    assert {row.tool_name for row in stored} == {"Offline placeholder translator (not a real translation)"}
    assert not stored.filter(has_error=True).exists()
    summary = status_summaries([page.get_translation(fr)])[page.get_translation(fr).pk]
    assert summary["state"] == "complete"
    assert summary["segments"]["machine"] == 9

    translation.save_target(publish=True)
    assert page.get_translation(fr).specific.summary.startswith("[fr?] ")
