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
from django.db.models.lookups import StartsWith
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


def public_pages(queryset=None, *, now=None):
    """The pages (or the pages of ``queryset``) an anonymous client may see.

    One SQL query when evaluated: the ancestor rules are correlated ``EXISTS``
    sub-queries over the (few) hidden pages that have children and the (few) view
    restrictions, matched by tree path prefix.

    Args:
        queryset: a Page (or specific page model) queryset to narrow; all pages if None.
        now: the moment to judge scheduling and expiry at; the current time if None.
    """
    now = now or timezone.now()
    queryset = Page.objects.all() if queryset is None else queryset
    hidden_ancestor = Page.objects.filter(depth__gt=1, numchild__gt=0).filter(
        _hidden_state(now), StartsWith(OuterRef("path"), F("path"))
    )
    restricted_ancestor = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return (
        queryset.filter(depth__gt=1)
        .exclude(_hidden_state(now))
        .filter(_inside_a_site())
        .exclude(Exists(hidden_ancestor))
        .exclude(Exists(restricted_ancestor))
    )


def is_public(page, *, now=None):
    """Whether an anonymous client may see ``page`` (one query)."""
    return public_pages(Page.objects.filter(pk=page.pk), now=now).exists()


def public_page_ids(ids, *, now=None):
    """The subset of ``ids`` that are public pages (one query)."""
    return set(public_pages(Page.objects.filter(pk__in=list(ids)), now=now).values_list("pk", flat=True))
