"""Machine translation for the translation editor.

With ``DEEPL_API_KEY`` set, the settings use wagtail-localize's DeepL translator, with the
locale pair's glossary (``GlossaryDeepLTranslator``). Without
it, developers and the test suite get ``OfflinePlaceholderTranslator``: it needs no
network and produces *pseudo-translations*, text that is visibly not a translation, so
that nobody mistakes it for one, while exercising everything a real translator would
(the "Translate with…" button, machine flags in the status report and in packages).

A pseudo-translation keeps every number, tag and link exactly as in the source and
only changes letters, so checks that numbers and markup survive translation pass.
"""

import hashlib
import logging

import requests
from bs4 import BeautifulSoup, NavigableString
from django.utils.translation import gettext_lazy as _
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.machine_translators.deepl import DeepLTranslator, language_code
from wagtail_localize.strings import StringValue

logger = logging.getLogger(__name__)

# Letters swapped for look-alikes with diacritics: still readable, obviously not a real
# translation, and a check that every language's characters render. Digits are absent
# on purpose: numbers must never change.
_PSEUDO_LETTERS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûvŵxýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛVŴXÝŽ",
)


def _language(locale):
    return locale.language_code.split("-")[0].lower()


def marker(target_locale):
    """What every placeholder translation starts with, e.g. ``[fr?] ``."""
    return f"[{target_locale.language_code}?] "


def pseudo_translate(html, target_locale):
    """A marked pseudo-translation of one segment's HTML: tags, attributes, numbers and
    whitespace unchanged; the letters of text swapped for accented look-alikes."""
    soup = BeautifulSoup(html, "html.parser")
    for text in list(soup.find_all(string=True)):
        text.replace_with(NavigableString(str(text).translate(_PSEUDO_LETTERS)))
    return marker(target_locale) + str(soup)


class OfflinePlaceholderTranslator(BaseMachineTranslator):
    """A stand-in for DeepL on machines without an API key (development, tests, demos).

    Its output is deterministic and starts with ``[<locale>?]``; wagtail-localize
    records it as a machine translation made by this tool, so status and packages flag
    it like any machine translation.
    """

    display_name = _("Offline placeholder translator (not a real translation)")

    def translate(self, source_locale, target_locale, strings):
        return {string: StringValue(pseudo_translate(string.data, target_locale)) for string in strings}

    def can_translate(self, source_locale, target_locale):
        return _language(source_locale) != _language(target_locale)


class GlossaryDeepLTranslator(DeepLTranslator):
    """wagtail-localize's DeepL translator, sending the locale pair's glossary along.

    DeepL glossaries cannot be edited, so each version of a pair's termbase is its own
    DeepL glossary, named after a digest of its entries: an unchanged termbase reuses
    the glossary DeepL already has, a changed one creates a new glossary and deletes the
    pair's older ones. When the glossary API fails, text is translated without it (the
    glossary check of ``cms.translation.qa`` still flags wrong terms). ``API_URL``
    (setting ``DEEPL_API_URL``) points at another DeepL-compatible server.
    """

    def api_url(self, path):
        base = self.options.get("API_URL") or self.get_api_endpoint().removesuffix("/translate")
        return f"{base.rstrip('/')}/{path}"

    def get_api_endpoint(self):
        if self.options.get("API_URL"):
            return self.api_url("translate")
        return super().get_api_endpoint()

    def _call(self, method, path, **kwargs):
        response = requests.request(
            method,
            self.api_url(path),
            headers=self.get_headers(),
            timeout=int(self.options.get("TIMEOUT", 30)),
            **kwargs,
        )
        response.raise_for_status()
        return response

    def glossary_id(self, source_locale, target_locale):
        """The DeepL glossary of the pair's current termbase, created if needed; None without terms."""
        from .glossary import deepl_entries

        entries = deepl_entries(source_locale, target_locale)
        if not entries:
            return None
        source_lang = language_code(source_locale.language_code).lower()
        target_lang = language_code(target_locale.language_code).lower()
        prefix = f"clinic-{source_lang}-{target_lang}-"
        name = prefix + hashlib.sha256(entries.encode("utf-8")).hexdigest()[:16]
        try:
            existing = self._call("GET", "glossaries").json().get("glossaries", [])
            current = next((item["glossary_id"] for item in existing if item.get("name") == name), None)
            if current is None:
                current = self._call(
                    "POST",
                    "glossaries",
                    data={
                        "name": name,
                        "source_lang": source_lang,
                        "target_lang": target_lang,
                        "entries": entries,
                        "entries_format": "tsv",
                    },
                ).json()["glossary_id"]
            for item in existing:
                if item.get("name", "").startswith(prefix) and item["glossary_id"] != current:
                    self._call("DELETE", f"glossaries/{item['glossary_id']}")
        except (requests.RequestException, ValueError, KeyError) as exc:
            logger.warning("DeepL glossary for %s→%s unavailable: %s", source_lang, target_lang, exc)
            return None
        return current

    def get_parameters(self, source_locale, target_locale, strings):
        parameters = super().get_parameters(source_locale, target_locale, strings)
        glossary_id = self.glossary_id(source_locale, target_locale)
        if glossary_id:
            parameters["glossary_id"] = glossary_id
        return parameters
