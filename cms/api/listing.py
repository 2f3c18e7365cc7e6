"""The page listing: filters, locale fallback, search, order and pagination.

Two queries whatever ``limit`` is: one count, one page of rows (each row's parent key
comes from a correlated sub-query on the indexed tree path), plus one for ``search``
and one for ``child_of``/``descendant_of``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Substr
from wagtail.models import Page

from . import paths
from .errors import BadParameter, PageNotFound
from .lookup import parse_key
from .references import page_rows
from .types import page_types
from .visibility import public_pages

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
    query.limit = parse_int(params, "limit", settings.API_DEFAULT_PAGE_SIZE, minimum=1, maximum=max_limit())
    query.offset = parse_int(params, "offset", 0, minimum=0, maximum=10**9)
    return query


def _tree_condition(key, name, children_only):
    """Pages below every public copy of the page ``key`` (one query)."""
    anchors = list(public_pages(Page.objects.filter(translation_key=key)).values_list("path", "depth"))
    if not anchors:
        raise PageNotFound(f"No public page has the key {key} ({name}).")
    condition = Q(pk__in=[])
    for path, depth in anchors:
        if children_only:
            condition |= Q(path__startswith=path, depth=depth + 1)
        else:
            condition |= Q(path__startswith=path, depth__gt=depth)
    return condition


def _one_per_key(queryset, chain):
    """Keep, for each translation key, only the copy in the best locale of ``chain``."""
    condition = Q(locale__language_code=chain[0])
    for index, code in enumerate(chain[1:], start=1):
        better = public_pages(
            Page.objects.filter(translation_key=OuterRef("translation_key"), locale__language_code__in=chain[:index])
        )
        condition |= Q(locale__language_code=code) & ~Q(Exists(better))
    return queryset.filter(condition)


def pages_queryset(query):
    """The filtered, ordered (not yet sliced) queryset of public pages."""
    queryset = public_pages()
    if query.locale_chain:
        queryset = _one_per_key(queryset.filter(locale__language_code__in=query.locale_chain), query.locale_chain)
    if query.type:
        model = page_types()[query.type]
        queryset = queryset.filter(
            content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
        )
    if query.child_of:
        queryset = queryset.filter(_tree_condition(query.child_of, "child_of", children_only=True))
    if query.descendant_of:
        queryset = queryset.filter(_tree_condition(query.descendant_of, "descendant_of", children_only=False))
    order = query.order or (RELEVANCE if query.search else "path")
    if order == RELEVANCE and not query.search:
        order = "path"  # nothing to rank by
    if query.search:
        ids = _search_ids(query.search)
        queryset = queryset.filter(pk__in=ids)
        if order == RELEVANCE:
            rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
            return queryset.order_by(rank, "path") if ids else queryset.order_by("path")
    return queryset.order_by(*ORDERS[order])


def _search_ids(text):
    """Ids of live pages matching ``text``, best first, through Wagtail's search backend."""
    results = Page.objects.live().search(text)[:SEARCH_RESULTS_MAX]
    return [page.pk for page in results]


def with_parent_keys(queryset):
    """Annotate each page with its parent's translation key (null for a site's root)."""
    parent = Page.objects.filter(
        depth__gt=1, path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
    ).values("translation_key")[:1]
    return queryset.annotate(parent_key=Subquery(parent))


def page_of_results(query):
    """``(count, rows)`` for one page of the listing; rows carry their parent's key."""
    queryset = pages_queryset(query)
    count = queryset.count()
    if count <= query.offset:
        return count, []
    window = with_parent_keys(queryset)[query.offset : query.offset + query.limit]
    return count, page_rows(window, paths.root_paths(), with_parent=True)
