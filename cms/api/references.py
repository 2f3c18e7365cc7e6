"""The other pages a page's JSON mentions, fetched in one query.

A page object names its translations (``alternates``), its ``parent``, its ``children``
and the pages its rich text links to. All of them must be public, and all of them are
read together here: one query whatever the number of links or children.
"""

from dataclasses import dataclass

from django.db.models import F, Q
from wagtail.models import Page

from . import paths
from .types import type_code
from .visibility import public_pages

ROW_FIELDS = (
    "id",
    "translation_key",
    "depth",
    "path",
    "url_path",
    "title",
    "slug",
    "first_published_at",
    "last_published_at",
    "live_revision_id",
)


@dataclass(frozen=True)
class PageRow:
    """Just enough of a public page to refer to it."""

    id: int
    key: str
    locale: str
    type: str
    title: str
    slug: str
    depth: int
    tree_path: str
    url: str | None
    first_published_at: object
    last_published_at: object
    revision: int | None
    parent_key: str | None = None

    def reference(self):
        return {
            "key": self.key,
            "id": self.id,
            "type": self.type,
            "locale": self.locale,
            "title": self.title,
            "path": self.url,
        }


def page_rows(queryset, roots=None, *, with_parent=False):
    """Evaluate a page queryset into :class:`PageRow` objects (one query).

    With ``with_parent``, the queryset must be annotated with ``parent_key``.
    """
    roots = paths.root_paths() if roots is None else roots
    extra = ("parent_key",) if with_parent else ()
    values = queryset.annotate(
        locale_code=F("locale__language_code"),
        type_app=F("content_type__app_label"),
        type_model=F("content_type__model"),
    ).values(*ROW_FIELDS, "locale_code", "type_app", "type_model", *extra)
    return [
        PageRow(
            id=row["id"],
            key=str(row["translation_key"]),
            locale=row["locale_code"],
            type=type_code(row["type_app"], row["type_model"]),
            title=row["title"],
            slug=row["slug"],
            depth=row["depth"],
            tree_path=row["path"],
            url=paths.page_path(row["url_path"], row["locale_code"], roots),
            first_published_at=row["first_published_at"],
            last_published_at=row["last_published_at"],
            revision=row["live_revision_id"],
            parent_key=str(row["parent_key"]) if row.get("parent_key") else None,
        )
        for row in values
    ]


def related_rows(page, linked_ids):
    """Public pages related to ``page``: its translations, parent, children and link targets.

    Read from the in-memory site index (no query while it is current).
    """
    from .site_index import site_index

    return site_index().related(page, linked_ids)


def related_rows_from_database(page, linked_ids):
    """The same as :func:`related_rows`, in one query (kept to check the index against)."""
    condition = Q(translation_key=page.translation_key) | Q(path__startswith=page.path, depth=page.depth + 1)
    parent_path = page.path[: -Page.steplen]
    if page.depth > 2:
        condition |= Q(path=parent_path)
    if linked_ids:
        # Only public targets count: a link to a hidden page has no href, whatever its translations.
        keys = public_pages(Page.objects.filter(pk__in=list(linked_ids))).values("translation_key")
        condition |= Q(translation_key__in=keys)
    return page_rows(public_pages(Page.objects.filter(condition)).order_by("path"))


class RenderContext:
    """What rendering one page needs beyond the page itself.

    Built once per page from :func:`related_rows`; rich text, page choosers, alternates,
    parent and children read from it, so nothing in the tree below queries again.
    """

    def __init__(self, page, *, locale, chain, rows, image_renditions=None):
        self.page = page
        self.locale = locale
        self.chain = chain
        self.rows = rows
        self.by_id = {row.id: row for row in rows}
        self.by_key = {}
        for row in rows:
            self.by_key.setdefault(row.key, {})[row.locale] = row

    # --- The page's own neighbours ------------------------------------------------------

    def alternates(self):
        """Locale -> public path of each public translation (for hreflang)."""
        own = self.by_key.get(str(self.page.translation_key), {})
        return {code: row.url for code, row in sorted(own.items()) if row.url}

    def parent(self):
        parent_path = self.page.path[: -Page.steplen]
        for row in self.rows:
            if row.tree_path == parent_path:
                return row.reference()
        return None

    def children(self):
        return [
            row.reference()
            for row in self.rows
            if row.depth == self.page.depth + 1 and row.tree_path.startswith(self.page.path)
        ]

    # --- Links from content -------------------------------------------------------------

    def best_translation(self, page_id):
        """The row to link to for page ``page_id``: its public copy in the served locale,
        else along the chain, else the target itself. None when the target is not public."""
        target = self.by_id.get(page_id)
        if target is None:
            return None
        copies = self.by_key.get(target.key, {})
        for code in self.chain:
            if code in copies:
                return copies[code]
        return target

    def link_path(self, page_id):
        row = self.best_translation(page_id)
        return row.url if row else None

    def page_reference(self, page_id):
        row = self.best_translation(page_id)
        return row.reference() if row else None

    # --- Images -------------------------------------------------------------------------

    def image(self, image, *, alt):
        from .images import image_value

        return image_value(image, alt=alt)
