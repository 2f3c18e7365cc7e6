"""The page listing: filters, locale fallback, search, order and pagination.

Answered from the site index (``site_index.py``): no query whatever ``limit`` is while
the index is current, one for ``search`` (Wagtail's search backend). A listing shows
which pages it holds (``tags.LISTING``, or the anchor's children for ``child_of``), the
pages of the window it shows (``p:<id>``) and, for orders other than the tree's, what
can reorder it (``tags.TITLES``; by date or relevance, any page: ``tags.ROWS``).

``require`` narrows it to pages an app may show as final, as the detail's does
(``lookup.resolve(..., accept=...)``): a page that fails the requirement counts as
missing, so the key is served from the next locale of the chain that passes, or left
out. ``complete``: translations with nothing untranslated or stale
(``cms.translation.api``); ``approved``: pages whose live content a medical reviewer
approved for the market of their locale, or that need no review (``cms.review``).
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from cms.review.models import MedicalApproval
from cms.translation.api import apply_require

from . import tags
from .errors import BadParameter, PageNotFound
from .lookup import parse_key
from .site_index import site_index
from .tags import Dependencies
from .types import page_types

ORDERS = {
    "path": ("path",),
    "-path": ("-path",),
    "title": ("title", "path"),
    "-title": ("-title", "path"),
    "first_published_at": ("first_published_at", "path"),
    "-first_published_at": ("-first_published_at", "path"),
    "last_published_at": ("last_published_at", "path"),
    "-last_published_at": ("-last_published_at", "path"),
}
RELEVANCE = "relevance"
COMPLETE, APPROVED = "complete", "approved"
REQUIREMENTS = (COMPLETE, APPROVED)
SEARCH_RESULTS_MAX = 1000


def max_limit():
    return settings.API_MAX_PAGE_SIZE


@dataclass
class ListingQuery:
    """A validated listing request."""

    locale_chain: list  # empty for locale=*
    type: str | None = None
    child_of: object = None
    descendant_of: object = None
    search: str | None = None
    order: str | None = None
    limit: int = 20
    offset: int = 0
    require: str | None = None  # one of REQUIREMENTS: only pages that meet it


def parse_int(params, name, default, *, minimum, maximum=None):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"'{raw}' is not a whole number.") from None
    if value < minimum:
        raise BadParameter(name, f"must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise BadParameter(name, f"must be at most {maximum}.")
    return value


def parse_listing(params, locale_chain):
    """Validate listing parameters; every problem is a BadParameter naming the parameter."""
    query = ListingQuery(locale_chain=locale_chain)
    if "type" in params:
        query.type = params.get("type")
        if query.type not in page_types():
            raise BadParameter("type", f"'{query.type}' is not a page type.", sorted(page_types()))
    for name in ("child_of", "descendant_of"):
        if name in params:
            setattr(query, name, parse_key(params.get(name), name))
    if "search" in params:
        query.search = params.get("search", "").strip()
        if not query.search:
            raise BadParameter("search", "must not be blank.")
        if len(query.search) > 200:
            raise BadParameter("search", "must be at most 200 characters.")
    if "order" in params:
        query.order = params.get("order")
        allowed = [*ORDERS, RELEVANCE]
        if query.order not in allowed:
            raise BadParameter("order", f"'{query.order}' is not an order.", allowed)
    if "require" in params:
        query.require = params.get("require")
        if query.require not in REQUIREMENTS:
            raise BadParameter("require", f"use one of {', '.join(REQUIREMENTS)}.", list(REQUIREMENTS))
    query.limit = parse_int(params, "limit", settings.API_DEFAULT_PAGE_SIZE, minimum=1, maximum=max_limit())
    query.offset = parse_int(params, "offset", 0, minimum=0, maximum=10**9)
    return query


def _anchors(index, key, name, now):
    """The public copies of the page ``key`` (404 when there is none)."""
    anchors = list(index.copies(key, now).values())
    if not anchors:
        raise PageNotFound(f"No public page has the key {key} ({name}).")
    return anchors


def _one_per_key(rows, chain, usable=None):
    """For each translation key, the copy in the best locale of ``chain`` (among the
    ``usable`` page ids, when given)."""
    by_key = {}
    for row in rows:
        if usable is None or row.id in usable:
            by_key.setdefault(row.key, {})[row.locale] = row
    chosen = []
    for copies in by_key.values():
        for code in chain:
            if code in copies:
                chosen.append(copies[code])
                break
    return chosen


def _sort_key(field):
    def key(row):
        value = getattr(row, field)
        return (value is None, value if value is not None else "", row.tree_path)

    return key


def matching_rows(query, index, now):
    """The public pages matching ``query``, ordered (from the site index; a search asks
    Wagtail's search backend once)."""
    public = index.rows(now)
    usable = _meeting(query.require, public)
    if query.locale_chain:
        rows = _one_per_key(public, query.locale_chain, usable)
    else:
        rows = [row for row in public if usable is None or row.id in usable]
    if query.type:
        rows = [row for row in rows if row.type == query.type]
    if query.child_of:
        anchors = _anchors(index, query.child_of, "child_of", now)
        rows = [
            row
            for row in rows
            if any(row.depth == a.depth + 1 and row.tree_path.startswith(a.tree_path) for a in anchors)
        ]
    if query.descendant_of:
        anchors = _anchors(index, query.descendant_of, "descendant_of", now)
        rows = [
            row for row in rows if any(row.depth > a.depth and row.tree_path.startswith(a.tree_path) for a in anchors)
        ]
    order = query.order or (RELEVANCE if query.search else "path")
    if query.search:
        ranks = {page_id: rank for rank, page_id in enumerate(_search_ids(query.search))}
        rows = [row for row in rows if row.id in ranks]
        if order == RELEVANCE:
            return sorted(rows, key=lambda row: (ranks[row.id], row.tree_path))
    if order == RELEVANCE:
        order = "path"  # nothing to rank by
    field = order.lstrip("-")
    field = "tree_path" if field == "path" else field
    return sorted(rows, key=_sort_key(field), reverse=order.startswith("-"))


def _meeting(requirement, rows):
    """Ids of the ``rows`` that meet ``requirement`` (None: no requirement). One query."""
    if requirement is None:
        return None
    if requirement == COMPLETE:
        candidates = Page.objects.filter(pk__in=[row.id for row in rows])
        return set(apply_require(candidates, COMPLETE).values_list("pk", flat=True))
    types = page_types()
    reviewed = {row.id for row in rows if getattr(types.get(row.type), "requires_medical_review", False)}
    approved = MedicalApproval.objects.with_approved_live_content(reviewed)
    return {row.id for row in rows if row.id not in reviewed or row.id in approved}


def _search_ids(text):
    """Ids of live pages matching ``text``, best first, through Wagtail's search backend."""
    # Wagtail's SQLite backend passes double quotes to FTS5 unescaped ("unterminated string").
    terms = text.replace('"', " ").strip()
    if not terms:
        return []
    results = Page.objects.live().search(terms)[:SEARCH_RESULTS_MAX]
    return [page.pk for page in results]


def page_of_results(query):
    """``(count, rows, deps)`` for one page of the listing; rows carry their parent's key.

    No query while the site index is current (one more for ``search``). ``deps`` says
    what the listing was built from (``tags.Dependencies``): every page, so any change.
    """
    index = site_index()
    now = timezone.now()
    rows = matching_rows(query, index, now)
    window = rows[query.offset : query.offset + query.limit]
    deps = Dependencies({tags.SITE}, [row.last_published_at for row in window])
    deps.add(*(tags.page(row.id) for row in window))  # what each row shows
    if query.child_of and not query.descendant_of:
        # Which pages it holds changes only with the anchor's children.
        deps.add(*(tags.children(anchor.id) for anchor in _anchors(index, query.child_of, "child_of", now)))
    else:
        deps.add(tags.LISTING)
    order = query.order or (RELEVANCE if query.search else "path")
    if order.lstrip("-") == "title":
        deps.add(tags.TITLES)  # a retitle elsewhere can move a page into this window
    elif order != "path" and order != "-path":
        deps.add(tags.ROWS)  # by date or relevance: any publish can
    if query.require == COMPLETE:
        deps.add(tags.TRANSLATIONS)  # a translation saved anywhere can complete or stale a page
    elif query.require == APPROVED:
        deps.add(tags.APPROVALS)  # an approval given or voided anywhere can let a page in or out
    deps.add_time(index.latest if query.search or order not in ("path", "-path") else None)
    for row in rows:
        deps.until(row.until)
    return len(rows), [replace(row, parent_key=_parent_key(index, row, now)) for row in window], deps


def _parent_key(index, row, now):
    parent = index.parent(row, now)
    return parent.key if parent else None
