"""A page exactly as the API serves it: the one place a page becomes JSON.

The detail endpoint serves :func:`render_page`'s bytes; export bundles write the same
bytes to files; preview templates render from :func:`page_representation`'s dict, with
``version="draft"`` for the latest draft. Usage::

    from cms.api.representation import render_page

    body = render_page(page.specific, requested_locale="fr")            # live page
    draft = page.get_latest_revision_as_object()
    data = page_representation(draft, requested_locale="fr", version="draft")

Shape (see the OpenAPI schema for every type's ``content``)::

    {"key", "id", "type", "locale", "requested_locale", "fallback", "title", "slug",
     "path", "alternates", "seo", "parent", "children", "meta", "content", "labels",
     "structured_data"}

``seo`` holds the SEO title and description, and absolute canonical and hreflang URLs
on the clinic website (each Site's root URL plus the page's path). ``labels`` holds the
words for the codes in ``content``, in the locale asked for (``labels.py``);
``structured_data`` is the same page as schema.org JSON-LD (``structured_data.py``).
"""

import json
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.fields import RichTextField, StreamField

from pages import public

from . import blocks as block_json
from . import caching, clinics, labels, paths, response_cache, richtext, sites, tags
from .content import render_content
from .errors import PageNotFound
from .locales import default_locale, fallback_chain, served_locales
from .meta import build_meta
from .references import RenderContext, related_rows
from .structured_data import structured_data
from .tags import Dependencies
from .types import type_of

LIVE = "live"
DRAFT = "draft"
VERSIONS = (LIVE, DRAFT)


def encode(data):
    """The API's JSON encoding: compact, UTF-8, dates in ISO 8601."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def linked_page_ids(page):
    """Ids of the pages ``page``'s public fields link to (rich text and page choosers)."""
    found = set()
    for declared in getattr(type(page), "public_fields", ()):
        if not isinstance(declared, public.Field):
            continue
        model_field = page._meta.get_field(declared.name)
        value = getattr(page, declared.name)
        if isinstance(model_field, RichTextField):
            found |= richtext.linked_page_ids(value)
        elif isinstance(model_field, StreamField):
            block_json.collect_references(model_field.stream_block, value, found)
    return found


def page_dependencies(page):
    """What a page's JSON depends on before looking at its neighbours: itself, which
    locales serve its key, its translation status, the sites' root paths."""
    deps = Dependencies()
    deps.add(
        tags.page(page.pk), tags.translation_key(page.translation_key), tags.translation_status(page.translation_key)
    )
    deps.add(tags.SITE)
    deps.add_time(page.last_published_at)
    deps.add(*(tags.snippet(snippet_id) for snippet_id in chosen_snippet_ids(page)))
    return deps


def chosen_snippet_ids(page):
    """Ids of the snippets (devices) chosen in any of the page's streams: values the
    model computes (the comparison matrix) show them as much as its public fields do."""
    found = set()
    for model_field in page._meta.get_fields():
        if isinstance(model_field, StreamField):
            block_json.collect_references(model_field.stream_block, getattr(page, model_field.name), set(), found)
    return found


def page_representation(page, *, requested_locale, request=None, version=LIVE, deps=None):
    """The page object of ``page`` (a specific page instance in the locale served) as a dict.

    Args:
        page: the specific page; for ``version="draft"``, a revision's page object
            (``page.get_latest_revision_as_object()``).
        requested_locale: the locale the client asked for; ``fallback`` is true when it
            differs from the page's own locale.
        request: unused today; accepted so that callers can pass it along when a
            representation grows request-dependent parts (absolute URLs).
        version: "live" or "draft"; only changes ``meta.version`` and ``meta.revision``:
            the caller chooses which object to pass.
        deps: a ``tags.Dependencies`` to note what the JSON shows from elsewhere.
    """
    deps = deps if deps is not None else Dependencies()
    if clinics.is_clinic_page(page):
        data = _clinic_page_data(page, requested_locale=requested_locale, request=request, version=version, deps=deps)
    else:
        data = _page_data(page, requested_locale=requested_locale, request=request, version=version, deps=deps)
        data["clinic"] = None
    data["structured_data"] = structured_data(data)
    return data


def _page_data(page, *, requested_locale, request, version, deps):
    locale = page.locale.language_code
    chain = fallback_chain(requested_locale) if requested_locale in served_locales() else fallback_chain(locale)
    if locale not in chain:
        chain = [locale, *chain]
    rows = related_rows(page, linked_page_ids(page))
    render_context = RenderContext(page, locale=locale, chain=chain, rows=rows, deps=deps)
    own = next((row for row in rows if row.id == page.pk), None)
    if own is not None:
        render_context.deps.until(own.until)
    path = paths.page_path(page.url_path, locale)
    site_url = paths.site_root_url(page.url_path, locale)
    data = {
        "key": str(page.translation_key),
        "id": page.pk,
        "type": type_of(page),
        "locale": locale,
        "requested_locale": requested_locale,
        "fallback": requested_locale != locale,
        "title": page.title,
        "slug": page.slug,
        "path": path,
        "alternates": render_context.alternates(),
        "seo": {
            "seo_title": page.seo_title or "",
            "search_description": page.search_description or "",
            "canonical": site_url + path if path is not None and site_url is not None else None,
            "hreflang": render_context.hreflang(site_url, default_locale()),
        },
        "parent": render_context.parent(),
        "children": render_context.children(),
        "meta": build_meta(page, version=version, row=own),
        "content": render_content(page, render_context),
        "labels": labels.labels_for(type(page), requested_locale if requested_locale in served_locales() else locale),
    }
    return data


def _clinic_page_data(page, *, requested_locale, request, version, deps):
    """A clinic page merged with the library page it shows (``clinics.py``)."""
    data = _page_data(page, requested_locale=requested_locale, request=request, version=version, deps=deps)
    # The library copy shown, by its page tag (a publish of another locale's copy leaves this
    # answer alone) and its key's (a copy withdrawn or restored changes which one is shown).
    row = clinics.library_row(page)
    library = clinics.load(row) if row is not None else None
    if library is None:
        raise PageNotFound(f"The page {page.translation_key} shows a library page that is not public.")
    shown_deps = page_dependencies(library)
    shown_deps.tags.discard(tags.translation_status(library.translation_key))  # its meta.translation is not shown
    deps.merge(shown_deps)
    with sites.scoped(None):
        shown = _page_data(library, requested_locale=row.locale, request=request, version=LIVE, deps=deps)
    data["clinic"] = clinics.clinic_object(
        page, own_content=data["content"], library=library, library_row=row, library_content=shown["content"]
    )
    data.update(type=shown["type"], content=shown["content"], labels=shown["labels"])
    data["meta"]["medical_review"] = shown["meta"]["medical_review"]
    return data


def render_page(page, *, requested_locale, request=None, version=LIVE, use_cache=None, deps=None):
    """The exact JSON bytes the detail endpoint serves for ``page`` (see module docs).

    Live pages are cached per (page revision, locale served, locale requested) until
    something the JSON shows changes (``response_cache.py``); what it was built from is
    added to ``deps`` either way. Drafts are never cached: a preview may come from an
    unsaved form.
    """
    deps = deps if deps is not None else Dependencies()
    use_cache = (version == LIVE and caching.enabled()) if use_cache is None else use_cache
    if not use_cache:
        own = page_dependencies(page)
        body = encode(
            page_representation(page, requested_locale=requested_locale, request=request, version=version, deps=own)
        )
        deps.merge(own)
        return body
    scope = sites.current()
    site_id = scope.site_id if scope else 0
    key = f"api:v1:render:{page.pk}:{page.live_revision_id}:{page.locale_id}:{requested_locale}:{site_id}"
    started = response_cache.begin()
    entry = response_cache.fetch(key)
    if entry is None:
        own = page_dependencies(page)
        body = encode(page_representation(page, requested_locale=requested_locale, request=request, deps=own))
        entry = response_cache.store(key, response_cache.make_entry(body, own), own, started)
    deps.add(*entry["tags"])
    deps.add_time(datetime.fromtimestamp(entry["last_modified"], tz=UTC))
    if entry["valid_until"] is not None:
        deps.until(datetime.fromtimestamp(entry["valid_until"], tz=UTC))
    return entry["body"]


def summary_representation(row, *, requested_locale):
    """A page in a listing, from a ``references.PageRow``."""
    return {
        "key": row.key,
        "id": row.id,
        "type": row.type,
        "locale": row.locale,
        "requested_locale": requested_locale,
        "fallback": requested_locale not in ("*", row.locale),
        "title": row.title,
        "slug": row.slug,
        "path": row.url,
        "parent": row.parent_key,
        "meta": {
            "revision": row.revision,
            "first_published_at": row.first_published_at,
            "last_published_at": row.last_published_at,
        },
    }
