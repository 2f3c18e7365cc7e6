"""What an anonymous client may see: the one definition every public output uses.

A page is public when it is live, not expired, not scheduled for later, not behind a
view restriction (password, login or groups), sits inside a site (under a site's root
page or one of its translations), and every ancestor below the tree root is public by
the same rules. So unpublishing or restricting a section hides all of it, children
included.

The API listing, detail, find, search, alternates, parent/children references and
rich-text links use :func:`public_pages`; export bundles and the change feed should too.
"""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Left
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site


def _hidden_state(now):
    """Pages that are themselves not public right now (restrictions aside)."""
    return (
        Q(live=False)
        | Q(expired=True)
        | Q(expire_at__isnull=False, expire_at__lte=now)
        | Q(go_live_at__isnull=False, go_live_at__gt=now)
    )


def own_state_is_public(values, now, root_paths):
    """The rules of :func:`_hidden_state`, view restrictions and :func:`_inside_a_site` for one
    page's own values (``live``, ``expired``, ``expire_at``, ``go_live_at``,
    ``is_restricted``, ``url_path``), ancestors aside: what the site index asks of a page
    it refreshes, whose parent it already knows to be public.
    """
    return (
        values["live"]
        and not values["expired"]
        and not (values["expire_at"] is not None and values["expire_at"] <= now)
        and not (values["go_live_at"] is not None and values["go_live_at"] > now)
        and not values["is_restricted"]
        and any(values["url_path"].startswith(root) for root in root_paths)
    )


def restricted():
    """An annotation: whether the page itself has a view restriction."""
    return Exists(PageViewRestriction.objects.filter(page=OuterRef("pk")))


def _inside_a_site():
    """Pages under a site's root page in some locale (the roots included).

    Wagtail caches the root paths (``Site.get_site_root_paths``), so this normally
    costs no query.
    """
    roots = {root.root_path for root in Site.get_site_root_paths()}
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for root_path in roots:
        condition |= Q(url_path__startswith=root_path)
    return condition


def hidden_subtrees(now=None):
    """Tree paths whose whole subtree is hidden: view-restricted pages, and hidden pages
    that have children (a hidden leaf is caught by its own state). Usually a handful.

    Two small queries: the hidden or restricted pages, then which of them have children
    (worked out from the children's paths, not from ``numchild``, which can be stale).
    """
    now = now or timezone.now()
    candidates = dict(
        Page.objects.filter(depth__gt=1)
        .filter(_hidden_state(now) | Q(restricted()))
        .annotate(is_restricted=restricted())
        .values_list("path", "is_restricted")
    )
    if not candidates:
        return []
    with_children = set(
        Page.objects.annotate(parent_path=Left("path", (F("depth") - 1) * Page.steplen))
        .filter(depth__gt=2, parent_path__in=list(candidates))
        .values_list("parent_path", flat=True)
        .distinct()
    )
    roots = []
    for path in sorted(path for path, is_restricted in candidates.items() if is_restricted or path in with_children):
        if not roots or not path.startswith(roots[-1]):  # an ancestor already covers it
            roots.append(path)
    return roots


def public_pages(queryset=None, *, now=None):
    """The pages (or the pages of ``queryset``) an anonymous client may see.

    Costs one or two small queries when called (:func:`hidden_subtrees`), then one
    plain query when evaluated: each hidden subtree becomes a path-prefix condition,
    which PostgreSQL answers from the path index. (A correlated ``EXISTS`` over
    ancestors was tried first: quadratic in the number of pages.)

    Args:
        queryset: a Page (or specific page model) queryset to narrow; all pages if None.
        now: the moment to judge scheduling and expiry at; the current time if None.
    """
    now = now or timezone.now()
    queryset = Page.objects.all() if queryset is None else queryset
    queryset = queryset.filter(depth__gt=1).exclude(_hidden_state(now)).filter(_inside_a_site())
    for path in hidden_subtrees(now):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def is_public(page, *, now=None):
    """Whether an anonymous client may see ``page``."""
    return public_pages(Page.objects.filter(pk=page.pk), now=now).exists()


def public_page_ids(ids, *, now=None):
    """The subset of ``ids`` that are public pages."""
    return set(public_pages(Page.objects.filter(pk__in=list(ids)), now=now).values_list("pk", flat=True))
