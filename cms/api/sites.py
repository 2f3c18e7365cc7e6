"""Which clinic a read is for, and what of the site index it may see.

A request names its clinic by ``?site=<code>`` or, without it, by its Host header
(Wagtail's Sites: hostname and port); an unknown host gets the default site, as
Wagtail's own serving does. A clinic sees only the pages under its Site's root page
and that root's translations, in its own locales (``pages.models.Clinic.locales``).

The sites are read once per process and kept with the site index, which a change of
any Site, Clinic or Locale replaces (the ``site`` tag), so finding a request's clinic
costs no query. While a request is handled, :func:`current` holds its scope;
the site index's answers (:func:`visible_in_scope`) and :func:`locales.served_locales`
follow it, so listing, detail, find, sync and locale resolution all keep to one clinic.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.http.request import split_domain_port
from wagtail.models import Site

from .errors import PageNotFound

SITE_PARAM = "site"


@dataclass(frozen=True)
class SiteScope:
    """One clinic's share of the hub, as the API serves it."""

    site_id: int
    code: str  # the clinic's code, or the Site's hostname for a site that is not a clinic
    name: str
    roots: tuple  # tree paths of the Site's root page in every locale
    root_url_paths: tuple  # their url_paths
    locales: tuple | None  # None: every hub locale
    is_default: bool
    frontend_url: str = ""
    root_url: str = ""  # the Site's own scheme and host, e.g. http://madrid.localhost: its API answers there too

    def contains(self, tree_path):
        return any(tree_path.startswith(root) for root in self.roots)

    def holds_url_path(self, url_path):
        return any(url_path.startswith(root) for root in self.root_url_paths)


@dataclass(frozen=True)
class _Sites:
    by_id: dict
    by_code: dict
    by_host: dict  # (hostname, port or None) -> site id
    default_id: int | None
    by_header: dict = field(default_factory=dict)  # Host header -> (scope, explicit), as met


def _load():
    from pages.sites import root_paths_by_site

    sites = list(Site.objects.select_related("clinic", "root_page").order_by("pk"))
    roots = root_paths_by_site(sites)
    by_id, by_code, by_host = {}, {}, {}
    default_id = None
    for site in sites:
        clinic = getattr(site, "clinic", None)
        scope = SiteScope(
            site_id=site.pk,
            code=clinic.slug if clinic else site.hostname,
            name=clinic.name if clinic else (site.site_name or site.hostname),
            roots=tuple(sorted(tree_path for tree_path, _url in roots[site.pk])),
            root_url_paths=tuple(sorted(url_path for _tree, url_path in roots[site.pk])),
            locales=tuple(clinic.locales) if clinic and clinic.locales else None,
            is_default=site.is_default_site,
            frontend_url=clinic.frontend_url if clinic else "",
            root_url=site.root_url.rstrip("/"),
        )
        by_id[site.pk] = scope
        by_code.setdefault(scope.code, scope)
        by_host[(site.hostname, site.port)] = site.pk
        by_host.setdefault((site.hostname, None), site.pk)
        if site.is_default_site:
            default_id = site.pk
    if default_id is None and sites:
        default_id = sites[0].pk
    return _Sites(by_id, by_code, by_host, default_id)


def _sites():
    """Kept with the site index, which a change of any Site, Clinic or Locale replaces.

    Asks for the index this process holds without catching up with the log first: a
    read's cache check catches up right after, and every cached answer depends on the
    ``site`` tag, so an answer given for a scope that a change has just replaced is
    not served; the view then finds the scope again from the new index.
    """
    from .invalidation import held_index
    from .site_index import site_index

    index = held_index() or site_index()
    if index.sites is None:
        index.sites = _load()
    return index.sites


def every_scope():
    return list(_sites().by_id.values())


def scope_by_id(site_id):
    return _sites().by_id.get(site_id)


def default_scope():
    sites = _sites()
    return sites.by_id.get(sites.default_id)


def parse_site_param(value):
    """The scope a ``?site=`` value names; a 404 when none does.

    Not a 400 listing the codes: what exists is a resource question, and a key bound to
    one clinic must learn nothing of the others.
    """
    sites = _sites()
    scope = sites.by_code.get(value)
    if scope is None and value.isdigit():
        scope = sites.by_id.get(int(value))
    if scope is None:
        raise PageNotFound(f"No clinic of this hub has the code '{value}' (?site=).")
    return scope


def bound_scope(scope, explicit, bound_site_id):
    """The scope a request reads once its API key is known, or None when it must get a 404.

    Args:
        scope, explicit: what :func:`scope_for_request` found.
        bound_site_id: the key's site (``ApiKey.site``), or None for a key of the whole
            hub and for anonymous clients.

    A key bound to a clinic reads that clinic when the request named none (an unknown
    host); naming another, by ``?site=`` or by Host, finds nothing, so that the key
    learns nothing of the other clinic.
    """
    if bound_site_id is None or (scope is not None and scope.site_id == bound_site_id):
        return scope
    if explicit:
        return None
    return scope_by_id(bound_site_id)


def scope_for_request(request):
    """``(scope, explicit)``: the clinic a request is for, and whether it named one."""
    # The query string is parsed only when it may name a site.
    value = request.GET.get(SITE_PARAM) if SITE_PARAM in request.META.get("QUERY_STRING", "") else None
    if value is not None:
        return parse_site_param(value), True
    sites = _sites()
    header = request.META.get("HTTP_HOST", "")
    found = sites.by_header.get(header)
    if found is None:
        found = _for_host_header(sites, header)
        if len(sites.by_header) < _HEADERS_KEPT:  # a bound on memory: clients choose the header
            sites.by_header[header] = found
    return found


_HEADERS_KEPT = 1000


def _for_host_header(sites, header):
    """Like Wagtail's ``Site.find_for_request``: hostname and port, else the hostname alone."""
    host, port = split_domain_port(header.lower())
    site_id = sites.by_host.get((host, int(port) if port.isdigit() else None)) or sites.by_host.get((host, None))
    if site_id is not None:
        return sites.by_id[site_id], True
    return sites.by_id.get(sites.default_id), False


# --- The scope of the request being handled -------------------------------------------

_current = contextvars.ContextVar("cms_api_site_scope", default=None)


def current():
    """The scope of the request being handled, or None outside a scoped read (commands, bundles)."""
    return _current.get()


@contextmanager
def scoped(scope):
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def activate(scope):
    """Set the scope for the rest of this request; returns the token for :func:`deactivate`."""
    return _current.set(scope)


def deactivate(token):
    _current.reset(token)


def visible_in_scope(row, scope=None):
    scope = scope if scope is not None else current()
    return scope is None or scope.contains(row.tree_path)


def locales_of_page(tree_path):
    """The locale codes the clinic holding a page serves, or None for every hub locale."""
    for scope in every_scope():
        if scope.contains(tree_path):
            return scope.locales
    return None
