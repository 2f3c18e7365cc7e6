"""Machine translation for the translation editor.

With ``DEEPL_API_KEY`` set, the settings use wagtail-localize's DeepL translator. Without
it, developers and the test suite get ``OfflinePlaceholderTranslator``: it needs no
network and produces *pseudo-translations*, text that is visibly not a translation, so
that nobody mistakes it for one, while exercising everything a real translator would
(the "Translate with…" button, machine flags in the status report and in packages).

A pseudo-translation keeps every number, tag and link exactly as in the source and
only changes letters, so checks that numbers and markup survive translation pass.
"""

from bs4 import BeautifulSoup, NavigableString
from django.utils.translation import gettext_lazy as _
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

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
