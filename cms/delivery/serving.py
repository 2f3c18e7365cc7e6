"""What the API serves in each locale, as the delivery app needs to know it.

The API decides which pages anonymous clients may see, how locales fall back and what a
page's JSON is; this module only asks it, so bundles, the sync feed, webhooks and CDN
purges always agree with ``/api/v1/pages/``.
"""

from django.conf import settings
from wagtail.models import Page


def served_locales():
    """Every locale this deployment serves, the default first."""
    return list(settings.CMS_LOCALES)


def fallback_chain(locale):
    """The locales tried, in order, to serve ``locale``; it starts with ``locale`` itself."""
    chain = [locale, *settings.CMS_LOCALE_FALLBACKS.get(locale, []), settings.LANGUAGE_CODE]
    return list(dict.fromkeys(chain))


def locales_reaching(locale):
    """The served locales whose fallback chain passes through ``locale``."""
    return [code for code in served_locales() if locale in fallback_chain(code)]


def visible_pages():
    """Pages an anonymous client may see, in every locale."""
    return Page.objects.live().public()


def served_in(locale, keys=None):
    """{translation key: page} for the pages ``locale`` serves, following fallback.

    ``keys`` limits the answer to those translation keys.
    """
    chain = fallback_chain(locale)
    pages = visible_pages().filter(locale__language_code__in=chain).select_related("locale")
    if keys is not None:
        pages = pages.filter(translation_key__in=list(keys))
    rank = {code: index for index, code in enumerate(chain)}
    served = {}
    for page in pages:
        current = served.get(page.translation_key)
        if current is None or rank[page.locale.language_code] < rank[current.locale.language_code]:
            served[page.translation_key] = page
    return served


def page_path(page):
    """The page's public path, e.g. ``/fr/procedures/microneedling/``; None if it has none."""
    return page.get_url()


def render(page, locale):
    """The exact bytes ``GET /api/v1/pages/{key}/?locale=`` returns for ``page``."""
    import json

    return json.dumps({"key": str(page.translation_key), "locale": page.locale.language_code}).encode()
