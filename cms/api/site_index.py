"""An in-memory index of the public pages, rebuilt whenever published content changes.

Reading a page needs its translations, parent, children and link targets, all of them
public. Asking the database each time means running the visibility rules (a query with
correlated sub-queries) twice per page; this index runs them once per content change
instead: two queries build it, then every page read looks its neighbours up in memory.

It is per process and keyed by the cache generation (``caching.py``), so a publish,
unpublish, move, delete or restriction anywhere rebuilds it on the next read, in every
worker. Scheduled changes that need no signal (a page reaching its ``expire_at``) are
covered by rebuilding at the next such moment.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone
from wagtail.models import Page

from . import caching, paths
from .references import PageRow, page_rows
from .visibility import public_pages


@dataclass
class SiteIndex:
    generation: str
    valid_until: datetime | None
    rows: list = field(default_factory=list)

    def __post_init__(self):
        self.by_id = {row.id: row for row in self.rows}
        self.by_key = defaultdict(dict)
        self.by_tree_path = {}
        self.children_of = defaultdict(list)
        for row in self.rows:
            self.by_key[row.key][row.locale] = row
            self.by_tree_path[row.tree_path] = row
            self.children_of[row.tree_path[: -Page.steplen]].append(row)

    def is_current(self, token, now):
        return token == self.generation and (self.valid_until is None or now < self.valid_until)

    def related(self, page, linked_ids) -> list[PageRow]:
        """What ``references.related_rows`` returns, from memory."""
        found = {}
        for row in self.by_key.get(str(page.translation_key), {}).values():
            found[row.id] = row
        parent = self.by_tree_path.get(page.path[: -Page.steplen]) if page.depth > 2 else None
        if parent:
            found[parent.id] = parent
        for row in self.children_of.get(page.path, ()):
            found[row.id] = row
        for page_id in linked_ids:
            target = self.by_id.get(page_id)
            if target:
                for row in self.by_key[target.key].values():
                    found[row.id] = row
        return sorted(found.values(), key=lambda row: row.tree_path)


_current = {"index": None}


def site_index():
    """The index for the current generation, built (two queries) when out of date."""
    token = caching.generation()
    now = timezone.now()
    index = _current["index"]
    if index is None or not index.is_current(token, now):
        index = build(token, now)
        _current["index"] = index
    return index


def build(token, now):
    rows = page_rows(public_pages(now=now).order_by("path"), paths.root_paths())
    upcoming = Page.objects.aggregate(
        expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
    )
    moments = [moment for moment in upcoming.values() if moment is not None]
    return SiteIndex(generation=token, valid_until=min(moments) if moments else None, rows=rows)
