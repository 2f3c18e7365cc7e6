"""``meta.revision``: which published version of a page a response shows, counted per page.

A live page's revision is how many times that page has been published (1 for its
first publish, 2 after the next…), counted from Wagtail's audit log, whose publish
entries ``purge_revisions`` never deletes. So it means the same to a client in every
process, survives a purge, and only grows. A draft is the next number while it holds
unpublished changes. A page that went live without a logged publish (a copy kept
live) counts as its first version.
"""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.models import PageLogEntry

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def publish_count():
    """An annotation for a Page queryset: how many times each page was published."""
    publishes = (
        PageLogEntry.objects.filter(page=OuterRef("pk"), action__in=PUBLISH_ACTIONS)
        .order_by()
        .values("page")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(publishes[:1]), Value(0))


def live_number(publishes, *, live):
    """The live revision number from a page's publish count (None for a page never live)."""
    if not live:
        return publishes or None
    return max(publishes, 1)


def revision_of(page, *, draft=False, row=None):
    """``meta.revision`` of ``page``; ``row`` is its site index row when the caller has it
    (no query), else the count is read (one query)."""
    if row is not None:
        number = row.revision
    else:
        publishes = PageLogEntry.objects.filter(page_id=page.pk, action__in=PUBLISH_ACTIONS).count()
        number = live_number(publishes, live=page.live_revision_id is not None or page.live)
    if not draft:
        return number
    pending = page.latest_revision_id is not None and page.latest_revision_id != page.live_revision_id
    return (number or 0) + 1 if pending else number
