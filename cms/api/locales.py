"""Which locales the API serves, and which one a request gets.

Other parts reuse this: export bundles walk :func:`served_locales`, the change feed and
webhooks ask :func:`locales_falling_back_to` which locales borrow a page from another.

Resolution order for a request: ``?locale=`` wins, then ``Accept-Language``, then the
default (the first of ``CMS_LOCALES``). A locale whose page is missing borrows it along
:func:`fallback_chain`, built from ``CMS_LOCALE_FALLBACKS`` and always ending at the
default locale.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import trans_real

from . import sites
from .errors import BadParameter

ALL_LOCALES = "*"


def served_locales():
    """Locale codes the API serves, the default first (``CMS_LOCALES``).

    While a clinic's read is handled (``sites.current()``), the clinic's own locales,
    in its order: its first is its default.
    """
    scope = sites.current()
    if scope is not None and scope.locales:
        return list(scope.locales)
    return [code for code, _name in settings.LANGUAGES]


def default_locale():
    """The source locale: every fallback chain ends here."""
    return served_locales()[0]


def locale_names():
    """Code -> English name, e.g. ``{"fr": "French"}``, for the locales endpoint."""
    return {code: str(name) for code, name in settings.LANGUAGES}


def fallback_chain(code):
    """The locales to try, in order, for a page requested in ``code``.

    Starts with ``code`` itself, follows ``CMS_LOCALE_FALLBACKS`` (steps naming locales
    this deployment does not serve are skipped) and always ends at the default locale,
    e.g. ``fallback_chain("de-ch") == ["de-ch", "de", "fr", "en"]``.
    """
    served = set(served_locales())
    chain = [code]
    for step in settings.CMS_LOCALE_FALLBACKS.get(code, ()):
        if step in served and step not in chain:
            chain.append(step)
    if default_locale() not in chain:
        chain.append(default_locale())
    return chain


def locales_falling_back_to(code):
    """Locales whose chain reaches ``code`` before their own end, ``code`` excluded.

    A change to a French page also changes what ``fr-ca`` readers get when ``fr-ca`` has
    no page of its own: notifications and caches use this to reach them.
    """
    return [other for other in served_locales() if other != code and code in fallback_chain(other)]


@dataclass(frozen=True)
class LocaleRequest:
    """The locale a client asked for and how: ``source`` is "query", "header" or "default"."""

    code: str
    source: str

    @property
    def every_locale(self):
        return self.code == ALL_LOCALES


def parse_locale_param(value, *, allow_all=True):
    """Validate a ``?locale=`` value; raises :class:`BadParameter` listing the served ones."""
    code = value or ""
    if allow_all and code == ALL_LOCALES:
        return ALL_LOCALES
    if code in served_locales():
        return code
    allowed = served_locales() + ([ALL_LOCALES] if allow_all else [])
    raise BadParameter("locale", f"'{value}' is not a locale this API serves.", allowed)


def locale_from_accept_language(header):
    """The best served locale for an ``Accept-Language`` header, or None.

    An exact match wins (``fr-ca``); otherwise the language part is tried (``fr-FR`` ->
    ``fr``). Unknown languages are skipped rather than refused: browsers send many.
    """
    if not header:
        return None
    served = served_locales()
    try:
        ranked = trans_real.parse_accept_lang_header(header)
    except ValueError:  # a malformed or oversized header is ignored, like Django does
        return None
    for language, _quality in ranked:
        language = language.lower()
        if language == "*":
            return default_locale()
        if language in served:
            return language
        base = language.split("-")[0]
        if base in served:
            return base
    return None


def resolve_locale(request, *, allow_all=True):
    """The :class:`LocaleRequest` for a Django or DRF request.

    Works on a plain Django ``HttpRequest`` as well (the cached-response path runs
    before DRF), so it reads ``request.GET`` and ``request.META`` only.
    """
    params = getattr(request, "query_params", None) or request.GET
    if "locale" in params:
        return LocaleRequest(parse_locale_param(params.get("locale"), allow_all=allow_all), "query")
    header_locale = locale_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if header_locale:
        return LocaleRequest(header_locale, "header")
    return LocaleRequest(default_locale(), "default")
