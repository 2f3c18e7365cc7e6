"""The other pages a page's JSON mentions, fetched in one query.

A page object names its translations (``alternates``), its ``parent``, its ``children``
and the pages its rich text links to. All of them must be public, and all of them are
read together here: one query whatever the number of links or children.
"""

import sys
from dataclasses import dataclass, field

from django.db.models import F, Q
from wagtail.models import Page

from . import paths, revisions, tags
from .tags import Dependencies
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
    "publish_count",  # an annotation of with_row_values: meta.revision (revisions.py)
    "expire_at",
)


@dataclass(frozen=True, slots=True)
class PageRow:
    """Just enough of a public page to refer to it.

    ``until`` is when it stops being public: its own ``expire_at`` or an ancestor's,
    whichever comes first (worked out by the site index).
    """

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
    library_id: int | None = None  # a clinic page: the library page it shows (pages.models.clinic)
    expire_at: object = field(default=None, compare=False)
    until: object = field(default=None, compare=False)

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
    values = with_row_values(queryset).values(*ROW_FIELDS, *ROW_ANNOTATIONS, *extra)
    return [row_from_values(row, roots) for row in values]


def row_from_values(row, roots):
    """A :class:`PageRow` from a ``values()`` dict holding :data:`ROW_FIELDS` and the locale and type."""
    # Interned: a key is shared by every locale's copy, a locale and a type by thousands of
    # rows; one string each keeps the site index small (``site_index.SiteIndex.stats``).
    return PageRow(
        id=row["id"],
        key=sys.intern(str(row["translation_key"])),
        locale=sys.intern(row["locale_code"]),
        type=sys.intern(_served_type(row)),
        title=row["title"],
        slug=row["slug"],
        depth=row["depth"],
        tree_path=row["path"],
        url=paths.page_path(row["url_path"], row["locale_code"], roots),
        first_published_at=row["first_published_at"],
        last_published_at=row["last_published_at"],
        revision=revisions.live_number(row["publish_count"], live=True),
        parent_key=str(row["parent_key"]) if row.get("parent_key") else None,
        library_id=row["library_id"],
        expire_at=row["expire_at"],
        until=row["expire_at"],
    )


def _served_type(row):
    """A page's type code; a clinic page is served as its library page's type."""
    if row["library_id"] is not None:
        return type_code(row["library_type_app"], row["library_type_model"])
    return type_code(row["type_app"], row["type_model"])


# What with_row_values annotates, for values(): locale, type, and a clinic page's library page.
ROW_ANNOTATIONS = ("locale_code", "type_app", "type_model", "library_id", "library_type_app", "library_type_model")


def with_row_values(queryset):
    """``queryset`` annotated with what :func:`row_from_values` needs besides :data:`ROW_FIELDS`."""
    return queryset.annotate(
        locale_code=F("locale__language_code"),
        type_app=F("content_type__app_label"),
        type_model=F("content_type__model"),
        library_id=F("clinicpage__library_page_id"),
        library_type_app=F("clinicpage__library_page__content_type__app_label"),
        library_type_model=F("clinicpage__library_page__content_type__model"),
        publish_count=revisions.publish_count(),
    )


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
    parent and children read from it, so nothing in the tree below queries again. Each
    of them notes in ``deps`` (a ``tags.Dependencies``) what the page's JSON took from
    elsewhere, so that a change there makes exactly this rendering stale.
    """

    def __init__(self, page, *, locale, chain, rows, deps=None, image_renditions=None):
        self.page = page
        self.locale = locale
        self.chain = chain
        self.rows = rows
        self.deps = deps if deps is not None else Dependencies()
        self.by_id = {row.id: row for row in rows}
        self.by_key = {}
        for row in rows:
            self.by_key.setdefault(row.key, {})[row.locale] = row

    def _shows(self, row):
        self.deps.add(tags.reference(row.id))
        self.deps.add_time(row.last_published_at)
        self.deps.until(row.until)

    # --- The page's own neighbours ------------------------------------------------------

    def alternates(self):
        """Locale -> public path of each public translation (for hreflang)."""
        own = self.by_key.get(str(self.page.translation_key), {})
        self.deps.add(tags.translation_key(self.page.translation_key))
        for row in own.values():
            self.deps.until(row.until)
        return {code: row.url for code, row in sorted(own.items()) if row.url}

    def hreflang(self, site_url, default_locale):
        """``[{hreflang, href}]``: every public copy's absolute URL, then ``x-default``
        (the ``default_locale`` copy), for ``<link rel="alternate">``. ``site_url`` is the
        root URL of the page's own Site, preferred for copies on several sites."""
        bases = paths.locale_root_urls(site_url)
        links = {code: bases[code] + path for code, path in self.alternates().items() if bases.get(code) is not None}
        result = [{"hreflang": code, "href": href} for code, href in links.items()]
        if default_locale in links:
            result.append({"hreflang": "x-default", "href": links[default_locale]})
        return result

    def parent(self):
        parent_path = self.page.path[: -Page.steplen]
        for row in self.rows:
            if row.tree_path == parent_path:
                self._shows(row)
                return row.reference()
        return None

    def children(self):
        self.deps.add(tags.children(self.page.pk))
        found = [
            row for row in self.rows if row.depth == self.page.depth + 1 and row.tree_path.startswith(self.page.path)
        ]
        for row in found:
            self._shows(row)
        return [row.reference() for row in found]

    # --- Links from content -------------------------------------------------------------

    def best_translation(self, page_id):
        """The row to link to for page ``page_id``: its public copy in the served locale,
        else along the chain, else the target itself. None when the target is not public."""
        self.deps.add(tags.reference(page_id))  # a link to a hidden page gets its href when it is shown
        target = self.by_id.get(page_id)
        if target is None:
            return None
        self.deps.add(tags.translation_key(target.key))
        copies = self.by_key.get(target.key, {})
        for code in self.chain:
            if code in copies:
                self._shows(copies[code])
                return copies[code]
        self._shows(target)
        return target

    def link_path(self, page_id):
        row = self.best_translation(page_id)
        return row.url if row else None

    def page_reference(self, page_id):
        row = self.best_translation(page_id)
        return row.reference() if row else None

    # --- Things from elsewhere ------------------------------------------------------------

    def image(self, image, *, alt):
        from .images import image_value

        if image is None:
            return None
        self.deps.add(tags.image(image.pk))
        return image_value(image, alt=alt)

    def snippet(self, snippet):
        """Note that the page shows ``snippet`` (a device)."""
        self.deps.add(tags.snippet(snippet.pk))
