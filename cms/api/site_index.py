"""The public site in memory: the one answer to "which page serves key K in locale L".

Detail, listing, find, sync, bundles, webhooks and CDN purges all ask this module. It
holds one small row per public page (``references.PageRow``) with its translations,
parent and children, so a read looks its neighbours up without running the
visibility rules (``visibility.py``) again.

It is built once per process (three queries, in time proportional to the site), then
brought up to date from the invalidation log (``invalidation.py``): each change names
the pages whose public state may have changed, and only those are read again, in time
proportional to the change. Process memory is a cache of the database, never the
source: every process applies the same log rows.

Time is kept too: a row carries ``until``, when it (or an ancestor) expires, so an
expired page is gone from every answer at its ``expire_at`` even before
``publish_scheduled`` runs; live pages waiting for their ``go_live_at`` are read again
when it passes.
"""

import sys
from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page

from . import paths
from .models import TagState
from .references import ROW_ANNOTATIONS, ROW_FIELDS, PageRow, page_rows, row_from_values, with_row_values
from .sites import visible_in_scope
from .tags import is_timed
from .visibility import own_state_is_public, public_pages, restricted

_STATE_FIELDS = ("live", "expired", "go_live_at", "is_restricted")


def _parent_path(tree_path):
    return tree_path[: -Page.steplen]


def _earliest(*moments):
    present = [moment for moment in moments if moment is not None]
    return min(present) if present else None


class SiteIndex:
    """Public pages by id, translation key and tree path; times of the tags that have one."""

    def __init__(self):
        self.by_id: dict[int, PageRow] = {}
        self.by_key: dict[str, dict[str, PageRow]] = defaultdict(dict)
        self.by_tree_path: dict[str, PageRow] = {}
        self.children_of: dict[str, dict[int, PageRow]] = defaultdict(dict)
        self.upcoming: dict[int, datetime] = {}  # live pages waiting for their go_live_at
        self.tag_times: dict[str, datetime] = {}
        self.latest: datetime | None = None  # the latest change anywhere: a listing's Last-Modified
        # Values derived from the database by the tag that changes them (:func:`remembered`).
        self.derived: dict[str, dict] = {}
        self.sites = None  # the clinics' scopes (``sites.py``), read on first use

    # --- Building and refreshing ----------------------------------------------------------

    @classmethod
    def build(cls, now=None):
        """The whole public site: the public pages (with the hidden subtrees, ``visibility.py``),
        live pages waiting for their go-live, the tag times."""
        now = now or timezone.now()
        index = cls()
        for row in page_rows(public_pages(now=now).order_by("path")):
            index._put(row)
        index.upcoming = dict(Page.objects.filter(live=True, go_live_at__gt=now).values_list("pk", "go_live_at"))
        index.tag_times = dict(TagState.objects.values_list("tag").annotate(latest=Max("changed_at")).order_by())
        times = [*index.tag_times.values(), *(row.last_published_at for row in index.by_id.values())]
        index.latest = max((moment for moment in times if moment is not None), default=None)
        return index

    def refresh(self, page_ids, now=None):
        """Read the pages ``page_ids`` again and put or drop each (one query).

        Parents come before their children, so a page shown or hidden with its section
        is judged against its parent's new state. A page whose parent is not public
        here is not public either, unless it is a site's root.
        """
        if not page_ids:
            return
        now = now or timezone.now()
        roots = paths.root_paths()
        root_paths = {root_path for _language, root_path in roots}
        values = (
            with_row_values(Page.objects.filter(pk__in=list(page_ids)))
            .annotate(is_restricted=restricted())
            .values(*ROW_FIELDS, *ROW_ANNOTATIONS, *_STATE_FIELDS)
            .order_by("path")
        )
        seen = set()
        for value in values:
            seen.add(value["id"])
            self.upcoming.pop(value["id"], None)
            if value["live"] and value["go_live_at"] is not None and value["go_live_at"] > now:
                self.upcoming[value["id"]] = value["go_live_at"]
            parent = self.by_tree_path.get(_parent_path(value["path"]))
            public = own_state_is_public(value, now, root_paths) and (
                parent is not None or value["url_path"] in root_paths and _ancestors_public(value["id"], now)
            )
            if public:
                self._put(row_from_values(value, roots))
            else:
                self._drop(value["id"])
        for page_id in set(page_ids) - seen:  # deleted
            self.upcoming.pop(page_id, None)
            self._drop(page_id)

    def forget(self, page_ids):
        """Drop deleted pages (no query: they may still be in the database, about to go)."""
        for page_id in page_ids:
            self.upcoming.pop(page_id, None)
            self._drop(page_id)

    def note_change(self, tags, moment):
        """Record the time of a change's timed tags (see ``tags.TIMED_PREFIXES``)."""
        for tag in tags:
            if is_timed(tag):
                self.tag_times[tag] = moment
            self.derived.pop(tag, None)
        if self.latest is None or moment > self.latest:
            self.latest = moment

    def due(self, now):
        """Ids of pages whose ``go_live_at`` has passed since they were read."""
        return [page_id for page_id, moment in self.upcoming.items() if moment <= now]

    def _put(self, row):
        old = self.by_id.get(row.id)
        if old is not None:
            self._unlink(old)
        parent = self.by_tree_path.get(_parent_path(row.tree_path))
        row = replace(row, until=_earliest(row.expire_at, parent.until if parent else None))
        self.by_id[row.id] = row
        self.by_key[row.key][row.locale] = row
        self.by_tree_path[row.tree_path] = row
        self.children_of[_parent_path(row.tree_path)][row.id] = row
        if self.latest is None or (row.last_published_at and row.last_published_at > self.latest):
            self.latest = row.last_published_at or self.latest
        if old is not None and old.until != row.until:
            for child in list(self.children_of.get(row.tree_path, {}).values()):
                self._put(child)  # an ancestor's expiry is theirs too

    def _drop(self, page_id):
        row = self.by_id.pop(page_id, None)
        if row is not None:
            self._unlink(row)

    def _unlink(self, row):
        copies = self.by_key.get(row.key, {})
        if copies.get(row.locale) is row or (row.locale in copies and copies[row.locale].id == row.id):
            del copies[row.locale]
            if not copies:
                del self.by_key[row.key]
        if self.by_tree_path.get(row.tree_path) is not None and self.by_tree_path[row.tree_path].id == row.id:
            del self.by_tree_path[row.tree_path]
        siblings = self.children_of.get(_parent_path(row.tree_path))
        if siblings is not None:
            siblings.pop(row.id, None)
            if not siblings:
                del self.children_of[_parent_path(row.tree_path)]

    # --- Answers (expired rows never count) ---------------------------------------------

    @staticmethod
    def visible(row, now):
        """Public at ``now``, and inside the clinic of the read being handled (``sites.py``)."""
        return row is not None and (row.until is None or now < row.until) and visible_in_scope(row)

    def rows(self, now=None):
        """Every public page, in tree order."""
        now = now or timezone.now()
        # list() copies in one step: another thread may apply a change meanwhile.
        return sorted((row for row in list(self.by_id.values()) if self.visible(row, now)), key=lambda r: r.tree_path)

    def copies(self, key, now=None):
        """``{locale: row}`` of the public copies of translation key ``key``."""
        now = now or timezone.now()
        return {code: row for code, row in list(self.by_key.get(str(key), {}).items()) if self.visible(row, now)}

    def serving(self, key, chain, now=None):
        """The row that serves ``key`` to a client of a locale whose fallback chain is ``chain``."""
        copies = self.copies(key, now)
        for code in chain:
            if code in copies:
                return copies[code]
        return None

    def parent(self, row_or_page, now=None):
        tree_path, depth = _tree_position(row_or_page)
        parent = self.by_tree_path.get(_parent_path(tree_path)) if depth > 2 else None
        return parent if self.visible(parent, now or timezone.now()) else None

    def children(self, tree_path, now=None):
        now = now or timezone.now()
        found = list(self.children_of.get(tree_path, {}).values())
        return sorted((row for row in found if self.visible(row, now)), key=lambda row: row.tree_path)

    def related(self, page, linked_ids, now=None) -> list[PageRow]:
        """Public pages ``page``'s JSON mentions: translations, parent, children, link targets."""
        now = now or timezone.now()
        found = {row.id: row for row in self.copies(page.translation_key, now).values()}
        parent = self.parent(page, now)
        if parent:
            found[parent.id] = parent
        for row in self.children(page.path, now):
            found[row.id] = row
        for page_id in linked_ids:
            target = self.by_id.get(page_id)
            if self.visible(target, now):
                found.update({row.id: row for row in self.copies(target.key, now).values()})
        return sorted(found.values(), key=lambda row: row.tree_path)

    def next_go_live(self):
        return min(self.upcoming.values(), default=None)

    def stats(self):
        """Size in memory: rows and an estimate of their bytes (rows, strings and the maps)."""
        row_bytes = sum(
            sys.getsizeof(row)
            + sys.getsizeof(row.key)
            + sys.getsizeof(row.title)
            + sys.getsizeof(row.tree_path)
            + sys.getsizeof(row.url or "")
            + sys.getsizeof(row.slug)
            for row in self.by_id.values()
        )
        map_bytes = sum(
            sys.getsizeof(mapping)
            for mapping in (self.by_id, self.by_key, self.by_tree_path, self.children_of, self.tag_times)
        )
        map_bytes += sum(sys.getsizeof(copies) for copies in self.by_key.values())
        map_bytes += sum(sys.getsizeof(children) for children in self.children_of.values())
        map_bytes += sum(sys.getsizeof(tag) + 48 for tag in self.tag_times)
        map_bytes += sum(sys.getsizeof(tag) + 400 * len(kept) for tag, kept in self.derived.items())
        return {
            "pages": len(self.by_id),
            "tags": len(self.tag_times),
            "derived": sum(len(kept) for kept in self.derived.values()),
            "bytes": row_bytes + map_bytes,
        }


def _tree_position(row_or_page):
    if isinstance(row_or_page, PageRow):
        return row_or_page.tree_path, row_or_page.depth
    return row_or_page.path, row_or_page.depth


def _ancestors_public(page_id, now):
    """For a site's root page: whether the pages above it let it be seen (rare; a query or two)."""
    return public_pages(Page.objects.filter(pk=page_id), now=now).exists()


DERIVED_TAGS_KEPT = 50_000


def remembered(tag, name, compute):
    """``compute()``, kept in this process until a change names ``tag``.

    For values a read derives from the database and every change of which records
    ``tag`` in the invalidation log (a translation's ``t:<key>``, an image's
    ``i:<id>``). A value is kept only when no change was applied while it was computed
    and never from inside a transaction, which might still roll back. Values are
    returned as computed: callers must not change them.
    """
    from .invalidation import generation

    kept = site_index().derived
    found = kept.get(tag, {}).get(name)
    if found is not None:
        return found
    before = generation()
    value = compute()
    if value is not None and generation() == before and not connection.in_atomic_block:
        if len(kept) >= DERIVED_TAGS_KEPT:
            kept.clear()  # a bound on memory: computing one again costs a query
        kept.setdefault(tag, {})[name] = value
    return value


def site_index():
    """This process's index, up to date with every change committed so far (``invalidation.py``)."""
    from .invalidation import current_index

    return current_index()
