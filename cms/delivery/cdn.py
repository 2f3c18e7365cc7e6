"""Purging the CDN once a change has committed: by tag where the CDN can, else by URL.

Every API response names what it shows in ``Cache-Tag`` / ``Surrogate-Key``
(``cms.api.tags``), and every change names the tags it makes stale; the invalidation
log announces each change once it has committed, in the process that made it
(``cms.api.invalidation.changes_committed``). :func:`purge_committed_change` listens:

* a backend with ``purge_tags`` (Cloudflare, Fastly: ``cdn_backends``) gets the
  change's tags plus the overflow tag ``big``: exactly the responses showing the
  change, whatever their query string;
* any other backend (CloudFront, Varnish over HTTP) gets the API URLs that show the
  change (:func:`urls_to_purge`), worked out from the same tags.

Purging after the commit matters: inside the publishing transaction a CDN could fetch
and keep the old version before the commit lands. The purges run on the task framework
like webhooks (in-process by default, on the worker with ``TASKS_BACKEND=rq``), and a
failure is logged, never raised into the request that made the change.

A URL-only CDN gets the URLs that can be listed. For each translation key whose answer
changed (the changed pages, and the pages showing them: parent and children after a
retitle or move, pages linking to it, pages showing an edited device or image, found
through Wagtail's reference index): its detail URL in each locale the changed copy
serves (its own and those falling back to it without a nearer copy), without
``locale`` and with ``locale=*``; the find URL of each path the key has or had, alike.
Then the listings, bare and ``child_of`` the parent, in the locales whose rows changed
(every locale when the pages they hold changed; ``require=complete`` ones after a
translation, ``require=approved`` ones after an approval is given or voided). A Site or
Locale change (``site``) is rare and may move every path: it purges all of that for
every public page, plus ``/locales/``. Query strings are written
as browsers' ``URLSearchParams`` writes them (``path=%2Ffr%2F…&locale=*``). Other
variants (listing filters and pages, ``fallback=false``, other parameter orders, paths
a Site change retired) expire by ``max-age`` (``API_CACHE_CONTROL``). Only API URLs are
purged: the headless site serves no web pages.

All of that is worked out per site (``cms.api.sites``): a clinic's pages, in its
locales, under its own host and under the hub's base with ``site=<code>``
(:func:`site_bases`). A library change also changes the clinic pages showing it
(``cms.api.clinics.clinic_rows_following``): their URLs are purged in their clinics,
and a clinic that does not show it gets nothing.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Site

from cms.api import sites
from cms.api.clinics import clinic_rows_following
from cms.api.locales import fallback_chain, locales_falling_back_to, served_locales
from cms.api.paths import page_path
from cms.api.site_index import site_index
from cms.api.tags import APPROVALS, LISTING, OVERFLOW, ROWS, SITE, TRANSLATIONS
from pages.snippets import Device

from .models import ContentChange

logger = logging.getLogger(__name__)

API = "/api/v1"


def public_base_url():
    """The scheme and host the CDN serves, e.g. https://content.clinic.example."""
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url.rstrip("/") if site else ""


# --- Entry point ------------------------------------------------------------------------------


def purge_committed_change(sender=None, *, tags=(), pages=(), gone=(), **kwargs):
    """Receiver of ``changes_committed``: purge what the change made stale on every configured CDN."""
    try:
        backends = get_backends()
    except Exception:
        logger.exception("The frontend cache is misconfigured; nothing purged")
        return
    by_tag = sorted(name for name, backend in backends.items() if callable(getattr(backend, "purge_tags", None)))
    by_url = sorted(set(backends) - set(by_tag))
    if by_tag:
        try:
            purge_tags_task.enqueue(sorted({*tags, OVERFLOW}), by_tag)
        except Exception:
            logger.exception("Could not purge tags %s", " ".join(tags))
    if by_url:
        try:
            purge_urls_from_cache(urls_to_purge(tags, pages=pages, gone=gone), backends=by_url)
        except Exception:
            logger.exception("Could not purge the URLs of a change with tags %s", " ".join(tags))


@task()
def purge_tags_task(tags, backends):
    """Purge ``tags`` from the backends named ``backends`` (names in ``WAGTAILFRONTENDCACHE``)."""
    for name, backend in get_backends(backends=backends).items():
        logger.info("[%s] Purging tags: %s", name, " ".join(tags))
        backend.purge_tags(tags)


# --- URLs of a change, for CDNs that only take URLs -----------------------------------------------


def urls_to_purge(tags, *, pages=(), gone=(), base_url=None):
    """Every API URL (of those listed in the module docstring) whose answer shows the change.

    Worked out for each site (``cms.api.sites``) in its own locales, under its own bases
    (:func:`site_bases`), for the pages of that site only: a clinic gets its pages' URLs,
    a library change's included, and nothing of another clinic's.

    Args:
        tags: the tags the change made stale (``cms.api.tags``).
        pages, gone: ids of the pages whose public state may have changed, and of those deleted.
        base_url: scheme and host of the hub's API; :func:`public_base_url` by default.
    """
    hub_base = public_base_url() if base_url is None else base_url
    index = site_index()
    change = _Change.read(index, tags, pages, gone)
    scopes = sites.every_scope()
    if not scopes:  # a hub without sites: one answer, the old way
        return sorted(_urls(index, change, None, [(hub_base + API, {})]))
    urls = set()
    for scope in scopes:
        with sites.scoped(scope):
            urls |= _urls(index, change, scope, site_bases(scope, hub_base))
    return sorted(urls)


def site_bases(scope, hub_base):
    """``[(API base URL, leading query parameters)]`` a site's answers are read under.

    The default site: the hub's base (``PUBLIC_BASE_URL``). A clinic: its Site's own
    host, which names it, and the hub's base with ``site=<code>`` first in the query.
    """
    if scope.is_default:
        return [(hub_base + API, {})]
    return [(scope.root_url + API, {}), (hub_base + API, {"site": scope.code})]


@dataclass
class _Change:
    """What a change touched, read once for every site: pages recorded, pages showing them."""

    tags: frozenset
    values: dict
    recorded: dict  # page id -> (key, locale, {paths}, {tree paths})
    showing: set  # ids of pages showing the change (parents, children, links, devices, images, clinic pages)
    linked_keys: set

    @classmethod
    def read(cls, index, tags, pages, gone):
        values = defaultdict(set)
        for tag in tags:
            prefix, _colon, value = tag.partition(":")
            if value:
                values[prefix].add(value)
        if SITE in tags:
            logger.info("Sites or locales changed: purging the API URLs of every public page")
        recorded = _recorded_pages(index, {*pages, *gone, *(int(value) for value in values["p"])})
        linked_keys = {str(uuid.UUID(value)) for value in values["k"]}
        showing = {int(value) for value in values["c"]}
        if values["r"] or linked_keys:
            showing |= _pages_showing(index, {int(value) for value in values["r"]}, linked_keys)
        if values["d"] or values["i"]:
            showing |= _referencing([(Device, values["d"]), (get_image_model(), values["i"])])
        # Clinic pages show their library page's content (cms.api.clinics).
        library = defaultdict(set)
        for key, locale, _paths, _trees in recorded.values():
            library[key].add(locale)
        for page_id in showing:
            row = index.by_id.get(page_id)
            if row is not None:
                library[row.key].add(row.locale)
        showing |= {row.id for row in clinic_rows_following(index, library)}
        return cls(frozenset(tags), values, recorded, showing, linked_keys)


def _urls(index, change, scope, bases):
    """The URLs of ``change`` in one site (``scope``, None: the whole hub) under ``bases``."""
    tags, values = change.tags, change.values
    served = set(served_locales())
    everything = SITE in tags

    def inside(tree_path):
        return scope is None or scope.contains(tree_path)

    def row_inside(page_id):
        row = index.by_id.get(page_id)
        return row is not None and inside(row.tree_path)

    recorded = {page_id: entry for page_id, entry in change.recorded.items() if any(inside(tree) for tree in entry[3])}
    mine = {key for key, _locale, _paths, _trees in recorded.values()}  # keys of this site's changed pages
    locales, places = defaultdict(set), defaultdict(set)  # key -> locales whose answer changed; (path, locale)
    listed = defaultdict(set)  # "" (every page) or a child_of key -> locales whose listing changed
    for page_id, (key, locale, paths, _trees) in recorded.items():
        changed = _served_by(index, key, locale)
        locales[key] |= changed
        places[key] |= {(path, locale) for path in paths}
        if ROWS in tags:  # its row in listings: title, revision, dates
            listed[""] |= changed
            parent = index.parent(index.by_id[page_id]) if page_id in index.by_id else None
            if parent is not None:
                listed[parent.key] |= changed
    for page_id in change.showing - set(change.recorded):
        row = index.by_id.get(page_id)
        if row is not None and inside(row.tree_path):
            locales[row.key] |= _served_by(index, row.key, row.locale)
    everywhere = change.linked_keys | {str(uuid.UUID(value)) for value in values["t"]}
    for key in everywhere | (set(index.by_key) if everything else set()):
        if key in mine or index.copies(key):  # copies: this site's only
            locales[key] |= served
    for page_id in {int(value) for value in values["c"]}:  # which pages a child_of listing holds
        if row_inside(page_id):
            listed[index.by_id[page_id].key] |= served
    if (LISTING in tags and recorded) or everything:
        listed[""] |= served

    urls = set()

    def add(endpoint, locales_changed, *, bare=True, **params):
        for base, lead in bases:
            urls.update(_with_locales(base + endpoint, locales_changed, bare=bare, **lead, **params))

    for key, changed in locales.items():
        if not changed:
            continue
        add(f"/pages/{key}/", changed)
        copies = {(row.url, row.locale) for row in index.copies(key).values() if row.url}
        for path, locale in places[key] | copies:  # without locale, a path is served in its own
            add("/pages/find/", changed, bare=locale in changed, path=path)
    for anchor, changed in listed.items():
        if changed:
            add("/pages/", changed, **({"child_of": anchor} if anchor else {}))
    translations = {str(uuid.UUID(value)) for value in values["t"]}
    if (TRANSLATIONS in tags and (scope is None or any(key in mine or index.copies(key) for key in translations))) or (
        everything
    ):
        add("/pages/", served, require="complete")
    showing_here = recorded or any(row_inside(page_id) for page_id in change.showing)
    if (APPROVALS in tags and (scope is None or showing_here)) or everything:
        add("/pages/", served, require="approved")
    if everything:
        for base, lead in bases:
            urls.add(base + "/locales/" + _query(**lead))
    return urls


def _query(**params):
    return "?" + urlencode(params, safe="*") if params else ""


def _with_locales(url, locales, *, bare=True, **params):
    """``url`` with ``params``: with each of ``locales``, with ``*`` and, if ``bare``,
    without ``locale`` (then Accept-Language or the path picks the locale)."""
    found = {url + _query(**params, locale=code) for code in [*locales, "*"]}
    return found | {url + _query(**params)} if bare else found


def _served_by(index, key, locale):
    """The served locales whose answer for ``key`` comes from its copy in ``locale``: that
    locale and those falling back to it, unless a copy nearer in their chain is public."""
    copies = index.copies(key)
    found = set()
    for code in [locale, *locales_falling_back_to(locale)]:
        chain = fallback_chain(code)
        if not copies.keys() & set(chain[: chain.index(locale)]):
            found.add(code)
    return found & set(served_locales())


def _recorded_pages(index, page_ids):
    """``{id: (key, locale, {paths}, {tree paths})}`` of pages a change names.

    A page's paths are its public one now and those of its last two change rows (where
    it was before the change and where it is): a moved, renamed, hidden or deleted page
    leaves a find URL behind. Its tree paths say which sites it is in or was in before a
    move. Pages with neither come from the database.
    """
    found = {}
    for page_id in page_ids:
        row = index.by_id.get(page_id)
        if row is not None:
            found[page_id] = (row.key, row.locale, {row.url} - {None}, {row.tree_path})
    latest = Window(RowNumber(), partition_by=[F("page_id")], order_by=F("id").desc())
    rows = (
        ContentChange.objects.filter(page_id__in=page_ids)
        .annotate(latest=latest)
        .filter(latest__lte=2)
        .values_list("page_id", "key", "locale", "path", "tree_path", "moved_from")
    )
    for page_id, key, locale, path, tree_path, moved_from in rows:
        entry = found.setdefault(page_id, (str(key), locale, set(), set()))
        if path:
            entry[2].add(path)
        entry[3].update(tree for tree in (tree_path, moved_from) if tree)
    others = Page.objects.filter(pk__in=set(page_ids) - set(found)).values_list(
        "pk", "translation_key", "locale__language_code", "url_path", "path"
    )
    for page_id, key, locale, url_path, tree_path in others:
        found[page_id] = (str(key), locale, {page_path(url_path, locale)} - {None}, {tree_path})
    default = None
    for _key, _locale, _paths, trees in found.values():
        if not trees:  # rows written before clinics: the default site's
            default = default or sites.default_scope()
            trees.update(default.roots if default else ())
    return found


def _pages_showing(index, page_ids, keys):
    """Ids of public pages showing pages ``page_ids`` (their parent and children show
    the title and path) or linking to a page of translation key ``keys``, or of theirs."""
    tree_paths = {page_id: index.by_id[page_id].tree_path for page_id in page_ids if page_id in index.by_id}
    keys = set(keys) | {index.by_id[page_id].key for page_id in tree_paths}
    for page_id, tree_path, key in Page.objects.filter(pk__in=page_ids - set(tree_paths)).values_list(
        "pk", "path", "translation_key"
    ):
        tree_paths[page_id] = tree_path  # hidden now: its parent still showed it until this change
        keys.add(str(key))
    found = set()
    for tree_path in tree_paths.values():
        parent = index.by_tree_path.get(tree_path[: -Page.steplen])
        found |= {parent.id} if parent else set()
        found |= {row.id for row in index.children(tree_path)}
    targets = set(page_ids) | set(Page.objects.filter(translation_key__in=keys).values_list("pk", flat=True))
    return found | _referencing([(Page, targets)])


def _referencing(targets):
    """Ids of pages whose fields refer to any of ``targets`` ((model, ids) pairs): Wagtail's reference index."""
    conditions = [
        Q(to_content_type=ContentType.objects.get_for_model(model), to_object_id__in=[str(pk) for pk in ids])
        for model, ids in targets
        if ids
    ]
    if not conditions:
        return set()
    references = ReferenceIndex.objects.filter(
        reduce(or_, conditions), base_content_type=ContentType.objects.get_for_model(Page)
    )
    return {int(page_id) for page_id in references.values_list("object_id", flat=True)}
