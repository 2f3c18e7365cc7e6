"""Clinic pages checked against the library page they show: the “library changed” flag.

A clinic page shows a library page and changes some of its fields (practitioners,
price, devices…: ``pages.ClinicPage``). When the library page is published again, what
the clinic changed may no longer fit it: a new number of sessions under an old price,
a device the procedure no longer uses. So a clinic page that changes any field is
flagged “library changed” while the library copy it shows has another live revision
than the one it showed when the clinic page was last saved or marked as reviewed
(``models.LibraryReview``). Saving the clinic page, or “Mark as reviewed” in its edit
screen, clears the flag. A clinic page saved before these records existed counts as
reviewed when it was last saved.

The edit screen says so (``wagtail_hooks.py``) and ``manage.py clinic_status`` lists
every clinic page with its flags, the library's medical review among them.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from cms.api import sites
from cms.api.clinics import shown_library_copy

from .models import LibraryReview

LIBRARY_CHANGED = "library_changed"
NEEDS_RE_REVIEW = "needs_re_review"
LIBRARY_NOT_PUBLIC = "library_not_public"


@dataclass
class ClinicPageStatus:
    """Where a clinic page stands against the library page it shows."""

    page: object  # pages.ClinicPage
    library: object | None  # the library copy shown (specific page), None when none is public
    overrides: list = field(default_factory=list)  # names of the fields the clinic changes
    library_changed: bool = False
    medical_review: str = "not_reviewed"  # the library's meta.medical_review.status, which the clinic serves

    @property
    def flags(self):
        found = []
        if self.library is None:
            found.append(LIBRARY_NOT_PUBLIC)
        if self.library_changed:
            found.append(LIBRARY_CHANGED)
        if self.medical_review == NEEDS_RE_REVIEW:
            found.append(NEEDS_RE_REVIEW)
        return found

    @property
    def site(self):
        return next((scope.code for scope in sites.every_scope() if scope.contains(self.page.path)), None)

    def as_dict(self):
        library = self.library
        return {
            "site": self.site,
            "key": str(self.page.translation_key),
            "id": self.page.pk,
            "title": self.page.title,
            "locale": self.page.locale.language_code,
            "library": None
            if library is None
            else {
                "key": str(library.translation_key),
                "id": library.pk,
                "title": library.title,
                "locale": library.locale.language_code,
                "last_published_at": library.last_published_at.isoformat() if library.last_published_at else None,
            },
            "overrides": self.overrides,
            "library_changed": self.library_changed,
            "medical_review": self.medical_review,
            "flags": self.flags,
        }


def library_changed(page, library=None, review=None):
    """True when clinic page ``page`` changes fields and the library copy it shows was
    published again since the page was last saved or reviewed (module docs).

    Args:
        library: the library copy shown (:func:`cms.api.clinics.shown_library_copy`), if known.
        review: the page's ``LibraryReview``, if already read (``False``: known to have none).
    """
    if not page.overridden():
        return False
    library = library if library is not None else shown_library_copy(page)
    if library is None or library.live_revision_id is None:
        return False  # nothing served to compare with: flagged as not public instead
    if review is None:
        review = LibraryReview.objects.filter(page_id=page.pk).first() or False
    if review:
        return review.library_revision_id != library.live_revision_id
    saved = page.latest_revision_created_at or page.last_published_at
    return saved is None or (library.last_published_at is not None and library.last_published_at > saved)


def status(page):
    """The :class:`ClinicPageStatus` of clinic page ``page`` (specific)."""
    from cms.api.meta import medical_review

    library = shown_library_copy(page)
    return ClinicPageStatus(
        page=page,
        library=library,
        overrides=page.overridden(),
        library_changed=library_changed(page, library),
        medical_review=((medical_review(library) if library is not None else None) or {}).get("status", "not_reviewed"),
    )


def statuses(scope=None):
    """The status of every clinic page, in tree order; only ``scope``'s site's when given."""
    from pages.models import ClinicPage

    pages = ClinicPage.objects.select_related("locale").order_by("path")
    if scope is not None:
        pages = [page for page in pages if scope.contains(page.path)]
    return [status(page) for page in pages]


def mark_reviewed(page, user=None):
    """Record that ``page`` was checked against the library copy it shows now (clears the flag)."""
    library = shown_library_copy(page)
    LibraryReview.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "library_revision_id": library.live_revision_id if library is not None else None,
            "reviewed_at": timezone.now(),
            "reviewed_by": user if user is not None and user.is_authenticated else None,
        },
    )
