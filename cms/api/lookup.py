"""Finding the page a detail or find request is about, in the right locale.

A public page is found in the in-memory site index, then loaded with its locale and
images in one query (``loader.py``). A draft takes two small queries: the candidates
(with their locale and content type), then the chosen page's own fields with its images.
"""

import uuid

from wagtail.models import Page

from . import tags
from .errors import BadParameter, PageNotFound
from .loader import PageLoader, image_relations
from .locales import fallback_chain, served_locales
from .site_index import site_index
from .types import page_types


def parse_key(value, name="key"):
    """A translation key (UUID) from a URL or parameter; 400 when it is not one."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise BadParameter(
            name, f"'{value}' is not a page key (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)."
        ) from None


def _specific(page):
    """The specific page to render for a candidate (an index row or a draft's base page)."""
    if isinstance(page, _Candidate):
        return page.fetch()
    return _specific_row(page)


def _specific_row(page):
    """The specific page for a base ``page`` row: one small query on its own type.

    (One join across every page type's table looks cheaper but costs PostgreSQL more
    to plan than two simple queries cost to run.)
    """
    model = page.content_type.model_class()  # selected with the page: no query
    if model is None or model is Page:
        return page
    relations = [field.name for field in image_relations(model)]
    specific = model.objects.select_related(*relations).get(pk=page.pk)
    specific.locale = page.locale
    return specific


def _clinic_page_model():
    from pages.models import ClinicPage

    return ClinicPage


class _Candidate:
    """A public page found in the site index: enough to load its specific object."""

    def __init__(self, row):
        self.pk = row.id
        self.model = _clinic_page_model() if row.library_id is not None else page_types().get(row.type, Page)

    def fetch(self):
        """The specific page, or None when it was deleted since the index was built."""
        return PageLoader.for_model(self.model).load(self.pk)


def candidates(key, codes, *, draft=False):
    """Pages with ``key`` in the locales ``codes`` (public ones unless ``draft``), by locale code.

    Public pages come from the site index; drafts from the database.
    """
    if not draft:
        copies = site_index().copies(key)
        return {code: _Candidate(row) for code, row in copies.items() if code in codes}
    queryset = Page.objects.filter(translation_key=key, locale__language_code__in=list(codes))
    return {page.locale.language_code: page for page in queryset.select_related("locale", "content_type")}


def resolve(key, locale, *, fallback=True, draft=False, accept=None, deps=None):
    """The specific page to serve for ``key`` asked in ``locale``.

    Walks the fallback chain unless ``fallback`` is false. With ``draft``, unpublished
    pages count and the latest revision is returned. ``accept(page)`` false skips a
    page as if it were missing (its tag goes to ``deps``: a change to it changes the
    answer). Raises PageNotFound.
    """
    chain = fallback_chain(locale) if fallback else [locale]
    found = candidates(key, chain, draft=draft)
    for code in chain:
        page = _specific(found[code]) if code in found else None
        if page is not None and accept is not None and not accept(page):
            if deps is not None:
                deps.add(tags.page(page.pk))
            continue
        if page is not None:
            return page.get_latest_revision_as_object() if draft else page
    if accept is not None:
        raise PageNotFound(f"The page {key} has no version approved for the market of '{locale}' (require=approved).")
    if fallback:
        raise PageNotFound(f"No public page has the key {key}.")
    raise PageNotFound(f"The page {key} has no public version in '{locale}' (fallback=false).")


def resolve_every_locale(key, *, draft=False, accept=None, deps=None):
    """``{requested locale: page}`` for every served locale that resolves (fallback on;
    ``accept`` and ``deps`` as for :func:`resolve`)."""
    found = candidates(key, served_locales(), draft=draft)
    result = {}
    for code in served_locales():
        for step in fallback_chain(code):
            page = _specific(found[step]) if step in found else None
            if page is not None and accept is not None and not accept(page):
                if deps is not None:
                    deps.add(tags.page(page.pk))
                continue
            if page is not None:
                result[code] = page.get_latest_revision_as_object() if draft else page
                break
    if not result:
        raise PageNotFound(f"No public page has the key {key}.")
    return result
