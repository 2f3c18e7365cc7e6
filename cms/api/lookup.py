"""Finding the page a detail or find request is about, in the right locale.

One query reads the page, its specific fields, its locale and its hero image together
(``select_related`` through every page type's table, asked of Wagtail), whatever the
page type, so a detail read does not pay Wagtail's usual extra query per type.
"""

import uuid
from functools import cache

from django.db import models
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from pages import public

from .errors import BadParameter, PageNotFound
from .locales import fallback_chain, served_locales
from .types import page_types
from .visibility import public_pages


def parse_key(value, name="key"):
    """A translation key (UUID) from a URL or parameter; 400 when it is not one."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise BadParameter(
            name, f"'{value}' is not a page key (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)."
        ) from None


@cache
def _specific_relations():
    """``select_related`` paths reaching every page type's own table and its images."""
    relations = ["locale"]
    for model in page_types().values():
        link = model._meta.get_ancestor_link(Page)
        if link is None or model._meta.parents.get(Page) is not link:
            continue  # deeper inheritance: reached through .specific
        accessor = link.remote_field.get_accessor_name()
        relations.append(accessor)
        for declared in model.public_fields:
            if not isinstance(declared, public.Field):
                continue
            field = model._meta.get_field(declared.name)
            if isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractImage):
                relations.append(f"{accessor}__{declared.name}")
    return tuple(relations)


def _specific(page):
    """The specific page object already fetched through ``select_related``."""
    for relation in _specific_relations():
        if "__" in relation or relation == "locale":
            continue
        specific = page._state.fields_cache.get(relation)
        if specific is not None:
            specific.locale = page.locale
            return specific
    return page.specific


def candidates(key, codes, *, draft=False):
    """Pages with ``key`` in the locales ``codes`` (public ones unless ``draft``), by locale code."""
    queryset = Page.objects.filter(translation_key=key, locale__language_code__in=list(codes))
    if not draft:
        queryset = public_pages(queryset)
    return {page.locale.language_code: page for page in queryset.select_related(*_specific_relations())}


def resolve(key, locale, *, fallback=True, draft=False):
    """The specific page to serve for ``key`` asked in ``locale``.

    Walks the fallback chain unless ``fallback`` is false. With ``draft``, unpublished
    pages count and the latest revision is returned. Raises PageNotFound.
    """
    chain = fallback_chain(locale) if fallback else [locale]
    found = candidates(key, chain, draft=draft)
    for code in chain:
        if code in found:
            page = _specific(found[code])
            return page.get_latest_revision_as_object() if draft else page
    if fallback:
        raise PageNotFound(f"No public page has the key {key}.")
    raise PageNotFound(f"The page {key} has no public version in '{locale}' (fallback=false).")


def resolve_every_locale(key, *, draft=False):
    """``{requested locale: page}`` for every served locale that resolves (fallback on)."""
    found = candidates(key, served_locales(), draft=draft)
    result = {}
    for code in served_locales():
        for step in fallback_chain(code):
            if step in found:
                page = _specific(found[step])
                result[code] = page.get_latest_revision_as_object() if draft else page
                break
    if not result:
        raise PageNotFound(f"No public page has the key {key}.")
    return result
