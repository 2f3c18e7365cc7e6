"""Which clinics an admin user acts for: the one answer every admin screen asks.

Wagtail's page and collection permissions keep a clinic's editors, reviewers and
translators to their clinic's pages, images and documents (``clinic_roles`` grants
them). What Wagtail keeps global, this module scopes: API keys, webhooks, the page,
image and document choosers, reports, workflow tasks and translator packages.

The answer comes from the rights a user's groups hold, as Wagtail configures them:

- superusers, and **library staff** (page rights on Wagtail's root or anywhere in the
  procedure library), act for every clinic;
- **clinic staff** act for the clinics whose page trees hold their page rights (or,
  for a role without page rights, whose collection holds their image rights). They see
  their clinics, may choose (never change) library pages, and see nothing of other
  clinics;
- a user whose groups hold no page or collection rights at all (a role about hub
  settings alone, e.g. developers managing webhooks) is not limited to a clinic, as
  ``cms.translation.locale_access`` does not limit them to a locale.

Which tree or collection is whose comes from ``pages.sites``. The answer is worked out
once per request (three or four queries) and kept on the user object.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Site

from pages.sites import clinic_areas

_CACHE_ATTR = "_cms_clinic_access"


@dataclass(frozen=True)
class ClinicAccess:
    """What one user may see of the hub's clinics."""

    areas: tuple  # every clinic of the hub (pages.sites.ClinicArea)
    site_ids: frozenset | None  # the clinics' sites the user acts for; None: every one

    @property
    def unlimited(self):
        return self.site_ids is None

    @property
    def own_areas(self):
        return tuple(area for area in self.areas if self.unlimited or area.site_id in self.site_ids)

    @property
    def other_areas(self):
        return () if self.unlimited else tuple(area for area in self.areas if area.site_id not in self.site_ids)

    # --- Sites (API keys, webhooks) ---------------------------------------------------------

    def may_act_for_site(self, site_id):
        """A record bound to ``site_id`` (None: bound to no clinic, hub-wide) is the user's."""
        return self.unlimited or site_id in self.site_ids

    def sites(self):
        """The Sites a user may bind a record to."""
        return Site.objects.all() if self.unlimited else Site.objects.filter(pk__in=self.site_ids)

    def site_q(self, field="site"):
        """Rows whose ``field`` (a Site foreign key, e.g. ``endpoint__site``) is one of the user's clinics."""
        return Q() if self.unlimited else Q(**{f"{field}__in": self.site_ids})

    # --- Pages --------------------------------------------------------------------------------

    def may_see_page(self, path):
        """True for a page (by tree path) of the user's clinics; library staff see every page."""
        return self.unlimited or any(area.holds(path) for area in self.own_areas)

    def may_choose_page(self, path):
        """True for a page the user may pick in a chooser: their clinics' and the library's."""
        return not any(area.holds(path) for area in self.other_areas)

    def pages_q(self, field="path"):
        """Pages of the user's clinics (every page for library staff); ``field`` is the tree path."""
        if self.unlimited:
            return Q()
        return _any_prefix(field, [root for area in self.own_areas for root in area.roots])

    def choosable_pages_q(self, field="path"):
        """Pages the user may choose: all but other clinics' trees."""
        roots = [root for area in self.other_areas for root in area.roots]
        return ~_any_prefix(field, roots) if roots else Q()

    # --- Collections (images, documents) ----------------------------------------------------

    def choosable_collections_q(self, field="collection__path"):
        """Images or documents outside other clinics' collections."""
        paths = [area.collection_path for area in self.other_areas if area.collection_path]
        return ~_any_prefix(field, paths) if paths else Q()

    def locale_codes(self):
        """The locales of the user's clinics, or None for every locale."""
        if self.unlimited:
            return None
        return sorted({code for area in self.own_areas for code in area.locales})


def _any_prefix(field, prefixes):
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": prefix}) for prefix in prefixes))


def access_for(user):
    """The :class:`ClinicAccess` of ``user``, kept on the user object for the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _work_out(user)
        if user is not None:
            setattr(user, _CACHE_ATTR, cached)
    return cached


def _work_out(user):
    areas = clinic_areas()
    if user is None or not user.is_authenticated or not user.is_active:
        return ClinicAccess(areas, frozenset())
    if user.is_superuser:
        return ClinicAccess(areas, None)
    page_paths = GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True)
    sites = set()
    for path in set(page_paths):
        holder = next((area for area in areas if area.holds(path)), None)
        if holder is None:
            return ClinicAccess(areas, None)  # rights on the root or in the library
        sites.add(holder.site_id)
    if sites:
        return ClinicAccess(areas, frozenset(sites))
    collection_paths = set(
        GroupCollectionPermission.objects.filter(group__user=user).values_list("collection__path", flat=True)
    )
    for path in collection_paths:
        holder = next((area for area in areas if area.holds_collection(path)), None)
        if holder is None:
            return ClinicAccess(areas, None)  # rights on a collection of the hub's, not a clinic's
        sites.add(holder.site_id)
    return ClinicAccess(areas, frozenset(sites) if sites else None)


def acts_for_page(user, page):
    """True when ``user`` may act on ``page`` as far as clinics go (Wagtail's rights aside)."""
    return access_for(user).may_see_page(page.path)
