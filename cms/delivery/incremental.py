"""Which pages of a previous bundle must be rendered again.

A page's JSON shows more than the page: its parent and children (title, path), its
translations' paths and the pages it links to. So a change to one page makes stale:
the page in every locale, its parent and children as the previous bundle recorded
them (a move changes both the old and the new parent), its parent now, and every page
that links to it (Wagtail's reference index knows those).
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from .models import ContentChange


def stale_keys(since, previous_pages):
    """Translation keys (str) to render again, given the previous bundle's cursor and pages.

    Args:
        since: the previous bundle's change cursor.
        previous_pages: the previous manifest's pages, by key.
    """
    rows = list(since.rows_after(ContentChange.objects.all()).values_list("key", "page_id"))
    changed = {str(key) for key, _page_id in rows}
    if not changed:
        return set()
    stale = set(changed)
    # The parent and children each page had in the previous bundle.
    for key, entry in previous_pages.items():
        for served in entry["locales"].values():
            parent = served.get("parent")
            if parent in changed:
                stale.add(key)
            if key in changed and parent:
                stale.add(parent)
    # Every copy of the changed pages, in any locale, and their parents today.
    page_ids = {page_id for _key, page_id in rows}
    tree_paths = []
    for page_id, tree_path in Page.objects.filter(translation_key__in=changed).values_list("pk", "path"):
        page_ids.add(page_id)
        tree_paths.append(tree_path)
    parent_paths = {tree_path[: -Page.steplen] for tree_path in tree_paths}
    stale |= {str(key) for key in Page.objects.filter(path__in=parent_paths).values_list("translation_key", flat=True)}
    # Pages whose content links to any of them.
    page_type = ContentType.objects.get_for_model(Page)
    linking_ids = ReferenceIndex.objects.filter(
        to_content_type=page_type, to_object_id__in=[str(page_id) for page_id in page_ids], base_content_type=page_type
    ).values_list("object_id", flat=True)
    stale |= {
        str(key)
        for key in Page.objects.filter(pk__in=[int(page_id) for page_id in linking_ids]).values_list(
            "translation_key", flat=True
        )
    }
    return stale
