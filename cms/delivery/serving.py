"""What the API serves in each locale, as the delivery app needs to know it.

Everything here answers for the clinic of the read being handled (``cms.api.sites``:
a request's ``?site=`` or Host, a bundle's ``--site``), like the API's own endpoints.

The API decides which page serves a key in a locale (``cms.api.site_index``), how
locales fall back (``cms.api.locales``) and what a page's JSON is
(``cms.api.representation``); this module only asks it, in bulk, so that bundles, the
sync feed, webhooks and CDN purges always agree with ``/api/v1/pages/``.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page

from cms.api import locales as api_locales
from cms.api.clinics import shows_a_public_library_page
from cms.api.paths import page_path as api_page_path
from cms.api.representation import render_page
from cms.api.site_index import site_index
from cms.api.types import type_code

served_locales = api_locales.served_locales
fallback_chain = api_locales.fallback_chain


def locales_reaching(locale):
    """``locale`` and the served locales whose fallback chain passes through it."""
    return [locale, *api_locales.locales_falling_back_to(locale)]


def served_keys(locale, after_key=None, limit=None):
    """Translation keys ``locale`` serves (its own pages or a fallback's), in key order."""
    index = site_index()
    chain = fallback_chain(locale)
    keys = sorted(
        uuid.UUID(key)
        for key in list(index.by_key)
        if (after_key is None or uuid.UUID(key) > after_key) and _served_row(index, key, chain) is not None
    )
    return keys if limit is None else keys[:limit]


def _served_row(index, key, chain):
    """The row serving ``key`` along ``chain`` in the clinic read (``cms.api.sites``), or None;
    a clinic page whose library page is not public serves nothing."""
    row = index.serving(key, chain)
    return row if row is not None and shows_a_public_library_page(row, index) else None


def served_in(locale, keys=None):
    """{translation key: specific page} for what ``locale`` serves, following fallback.

    ``keys`` limits the answer to those translation keys. The site index chooses the
    page (``cms.api.site_index``); one query per page type loads them.
    """
    index = site_index()
    chain = fallback_chain(locale)
    wanted = list(index.by_key) if keys is None else [str(key) for key in keys]
    best = {}
    for key in wanted:
        row = _served_row(index, key, chain)
        if row is not None:
            best[uuid.UUID(key)] = row.id
    locale_objects = Locale.objects.in_bulk(field_name="language_code")
    by_id = {}
    for page in Page.objects.filter(pk__in=list(best.values())).specific():
        page.locale = locale_objects[index.by_id[page.pk].locale]  # spares one query per page when rendering
        by_id[page.pk] = page
    return {key: by_id[page_id] for key, page_id in best.items() if page_id in by_id}


def public_copies(keys):
    """{translation key (str): set of locales with a public copy}."""
    index = site_index()
    return {str(key): set(index.copies(key)) for key in keys}


def page_path(page):
    """The page's public path as the API serves it, e.g. ``/fr/procedures/microneedling/``."""
    return api_page_path(page.url_path, page.locale.language_code)


def page_type(page):
    """The API's type code of the page, e.g. ``pages.ProcedurePage``; a clinic page is
    served as its library page's type (``cms.api.clinics``)."""
    content_type_id = page.content_type_id
    if getattr(page.specific_class, "serves_library_type", False):
        library_page_id = getattr(page, "library_page_id", None) or page.specific_deferred.library_page_id
        content_type_id = Page.objects.filter(pk=library_page_id).values_list("content_type_id", flat=True).first()
    content_type = ContentType.objects.get_for_id(content_type_id)
    return type_code(content_type.app_label, content_type.model)


def render(page, locale, *, use_cache=True):
    """The exact bytes ``GET /api/v1/pages/{key}/?locale=`` returns for ``page``."""
    return render_page(page, requested_locale=locale, use_cache=use_cache)
