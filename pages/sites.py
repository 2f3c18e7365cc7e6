"""Which part of the hub a page or image belongs to: the group's library or one clinic.

The default Site's tree is the procedure library, shared by every clinic. Every other
Site (a :class:`pages.models.Clinic`, usually) is a clinic's: its root page and that
root's translations, with everything below them, and its clinic's collection of images
and documents. A page under no clinic's root belongs to the library, so a hub with one
site is all library. Admin screens ask this through ``cms.security.clinic_scope``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.rich_text import extract_references_from_rich_text


@dataclass(frozen=True)
class ClinicArea:
    """One clinic's share of the hub: its Site, page trees and collection."""

    site_id: int
    name: str
    roots: tuple  # tree paths of the Site's root page in every locale
    collection_path: str | None  # tree path of the clinic's collection, when it has one
    locales: tuple  # the clinic's locale codes (every hub locale when it names none)

    def holds(self, path):
        """True when the page at tree ``path`` is in this clinic's trees."""
        return any(path.startswith(root) for root in self.roots)

    def holds_collection(self, path):
        return bool(self.collection_path) and path.startswith(self.collection_path)


def root_paths_by_site(sites):
    """``{site id: [(tree path, url_path)]}``: each Site's root page in every locale (one query).

    ``sites`` need their ``root_page`` selected."""
    by_key = {}
    keys = {site.root_page.translation_key for site in sites}
    for key, tree_path, url_path in Page.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "path", "url_path"
    ):
        by_key.setdefault(key, []).append((tree_path, url_path))
    return {site.pk: by_key.get(site.root_page.translation_key, []) for site in sites}


def clinic_areas():
    """Every clinic's area (three queries); the library is what none of them holds."""
    sites = list(Site.objects.select_related("clinic__collection", "root_page").order_by("pk"))
    library_key = next((site.root_page.translation_key for site in sites if site.is_default_site), None)
    clinic_sites = [
        site for site in sites if not site.is_default_site and site.root_page.translation_key != library_key
    ]
    roots = root_paths_by_site(clinic_sites)
    areas = []
    for site in clinic_sites:
        clinic = getattr(site, "clinic", None)
        collection = clinic.collection if clinic is not None else None
        areas.append(
            ClinicArea(
                site_id=site.pk,
                name=clinic.name if clinic is not None else (site.site_name or site.hostname),
                roots=tuple(sorted(tree_path for tree_path, _url_path in roots[site.pk])),
                collection_path=collection.path if collection is not None else None,
                locales=tuple(clinic.locales) if clinic is not None and clinic.locales else (),
            )
        )
    return tuple(areas)


def area_of(path, areas=None):
    """The clinic area holding the page at tree ``path``, or None for the library."""
    for area in clinic_areas() if areas is None else areas:
        if area.holds(path):
            return area
    return None


def library_homes(areas=None):
    """The library's home pages (depth 2, every locale): the homes no clinic holds."""
    areas = clinic_areas() if areas is None else areas
    homes = Page.objects.filter(depth=2)
    for area in areas:
        for root in area.roots:
            homes = homes.exclude(path__startswith=root)
    return homes


OTHER_CLINIC_LINK = _(
    "This text links to a page of another clinic. Link only to this clinic's pages or to the procedure library."
)
OTHER_CLINIC_PAGE = _("Choose a page of the procedure library or of this clinic, not of another clinic.")


def linked_page_ids(value):
    """Ids of the pages a rich text value links to."""
    return {
        int(object_id)
        for model, object_id, _path, _content_path in extract_references_from_rich_text(str(value or ""))
        if issubclass(model, Page) and str(object_id).isdigit()
    }


def other_clinics_pages(page_ids, path):
    """Those of ``page_ids`` that lie in a clinic other than the one whose tree holds ``path``.

    ``path`` is the tree path of the page that refers to them (or of its parent, for a
    page not saved yet). A page of the library may refer to no clinic's page at all: the
    library is shown by every clinic.
    """
    if not page_ids:
        return set()
    areas = clinic_areas()
    own = area_of(path, areas)
    found = set()
    for page_id, target_path in Page.objects.filter(pk__in=page_ids).values_list("pk", "path"):
        target = area_of(target_path, areas)
        if target is not None and target != own:
            found.add(page_id)
    return found
