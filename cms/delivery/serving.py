"""What the API serves in each locale, as the delivery app needs to know it.

The API decides which pages anonymous clients may see (``cms.api.visibility``), how
locales fall back (``cms.api.locales``) and what a page's JSON is
(``cms.api.representation``); this module only asks it, in bulk, so that bundles, the
sync feed, webhooks and CDN purges always agree with ``/api/v1/pages/``.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page

from cms.api import locales as api_locales
from cms.api.paths import page_path as api_page_path
from cms.api.representation import render_page
from cms.api.types import type_code
from cms.api.visibility import public_pages

served_locales = api_locales.served_locales
fallback_chain = api_locales.fallback_chain


def locales_reaching(locale):
    """``locale`` and the served locales whose fallback chain passes through it."""
    return [locale, *api_locales.locales_falling_back_to(locale)]


def visible_pages():
    """Pages an anonymous client may see, in every locale."""
    return public_pages()


def served_in(locale, keys=None):
    """{translation key: specific page} for what ``locale`` serves, following fallback.

    ``keys`` limits the answer to those translation keys. A few queries whatever the
    number of pages: one for the public pages, one per page type for their fields.
    """
    chain = fallback_chain(locale)
    rank = {code: index for index, code in enumerate(chain)}
    codes = dict(Locale.objects.filter(language_code__in=chain).values_list("pk", "language_code"))
    candidates = Page.objects.filter(locale_id__in=list(codes))
    if keys is not None:
        candidates = candidates.filter(translation_key__in=list(keys))
    best = {}
    for page_id, key, locale_id in public_pages(candidates).values_list("pk", "translation_key", "locale_id"):
        current = best.get(key)
        if current is None or rank[codes[locale_id]] < rank[codes[current[1]]]:
            best[key] = (page_id, locale_id)
    locale_objects = Locale.objects.in_bulk(list(codes))
    pages = Page.objects.filter(pk__in=[page_id for page_id, _locale_id in best.values()]).specific()
    by_id = {}
    for page in pages:
        page.locale = locale_objects[page.locale_id]  # spares one query per page when rendering
        by_id[page.pk] = page
    return {key: by_id[page_id] for key, (page_id, _locale_id) in best.items() if page_id in by_id}


def page_path(page):
    """The page's public path as the API serves it, e.g. ``/fr/procedures/microneedling/``."""
    return api_page_path(page.url_path, page.locale.language_code)


def page_type(page):
    """The API's type code of the page, e.g. ``pages.ProcedurePage``."""
    content_type = ContentType.objects.get_for_id(page.content_type_id)
    return type_code(content_type.app_label, content_type.model)


def render(page, locale, *, use_cache=True):
    """The exact bytes ``GET /api/v1/pages/{key}/?locale=`` returns for ``page``."""
    return render_page(page, requested_locale=locale, use_cache=use_cache)
