"""A clinic page served as one page: its library page merged with the clinic's own fields.

A clinic page (``pages.models.ClinicPage``) stores a reference to a library page and
the fields the clinic changes. It is served with the library page's type, ``content``,
``labels`` and medical review (the library's approval covers every clinic that shows
it), its own identity (key, path, title, translations, parent, children), and a
``clinic`` object that lists every overridable field with its value and where it came
from: ``clinic`` when the clinic set it, ``library`` otherwise.

The library copy shown is the one serving the clinic page's locale along the hub's
fallback chain, found in the site index outside any clinic's scope: library pages
belong to the group, not to a clinic.
"""

from collections import defaultdict

from wagtail.models import Page

from pages.models.clinic import FROM_CLINIC, FROM_LIBRARY

from . import sites
from .locales import fallback_chain
from .lookup import _Candidate
from .site_index import site_index
from .visibility import public_pages


def is_clinic_page(page):
    return getattr(type(page), "serves_library_type", False)


def library_row(page):
    """The site index row of the library copy ``page`` shows, or None when none is public."""
    index = site_index()
    with sites.scoped(None):
        own = index.by_id.get(page.library_page_id)
        key = own.key if own is not None else _library_key(page)
        return index.serving(key, fallback_chain(page.locale.language_code))


def _library_key(page):
    return str(Page.objects.filter(pk=page.library_page_id).values_list("translation_key", flat=True).first())


def shows_a_public_library_page(row, index=None):
    """False for the site index row of a clinic page that no public library copy serves:
    its detail is a 404, so feeds and bundles leave it out. True for any other row."""
    if row.library_id is None:
        return True
    index = index or site_index()
    own = index.by_id.get(row.library_id)
    key = own.key if own is not None else _library_key_of(row.library_id)
    with sites.scoped(None):
        return key is not None and index.serving(key, fallback_chain(row.locale)) is not None


def _library_key_of(page_id):
    key = Page.objects.filter(pk=page_id).values_list("translation_key", flat=True).first()
    return str(key) if key is not None else None


def load(row):
    """The specific library page of ``row`` (one query), or None when it went meanwhile."""
    return _Candidate(row).fetch()


def owner_code(page):
    """The code of the clinic whose tree holds ``page`` (``?site=`` value), or None."""
    for scope in sites.every_scope():
        if scope.contains(page.path):
            return scope.code
    return None


def clinic_object(page, *, own_content, library, library_row, library_content):
    """The ``clinic`` object of a clinic page's JSON: the library page, and each field's source."""
    overridden = set(page.overridden()) & set(getattr(type(library), "clinic_overridable", ()))
    fields = {}
    for declared in type(page).public_fields:
        name = declared.name
        if name in overridden:
            fields[name] = {"value": own_content[name], "source": FROM_CLINIC}
        else:
            fields[name] = {"value": library_content.get(name, own_content[name]), "source": FROM_LIBRARY}
    return {"site": owner_code(page), "library": library_row.reference(), "fields": fields}


# --- Library changes reaching clinics ----------------------------------------------------


def is_library_page(page):
    """True for a page of a type clinics may show (``clinic_overridable``); no query."""
    return getattr(page.specific_class, "clinic_overridable", None) is not None


def clinic_copies_following(library_pages):
    """Public clinic pages whose served page follows a change to ``library_pages``.

    A clinic page in locale L shows the library copy that serves L along the hub's
    fallback chain. It follows a changed copy in locale C when C is in L's chain and no
    public copy comes before C: the copy it showed, or the one it shows now. Read from
    the database as the change left it, inside its transaction (``cms.delivery.recording``).

    Returns ``[(clinic page, shown)]``, ``shown`` False when no public library copy
    serves the clinic page's locale any more (its answer is gone, like an unpublish).
    """
    from pages.models import ClinicPage

    changed = defaultdict(set)  # library key -> locales whose copy changed
    for page in library_pages:
        if is_library_page(page):
            changed[page.translation_key].add(page.locale.language_code)
    if not changed:
        return []
    public = defaultdict(set)
    for key, code in public_pages(Page.objects.filter(translation_key__in=list(changed))).values_list(
        "translation_key", "locale__language_code"
    ):
        public[key].add(code)
    found = []
    clinic_pages = (
        public_pages(ClinicPage.objects.filter(library_page__translation_key__in=list(changed)))
        .select_related("locale", "library_page")
        .order_by("path")
    )
    with sites.scoped(None):  # library pages belong to the group: the hub's chains
        for page in clinic_pages:
            key = page.library_page.translation_key
            chain = fallback_chain(page.locale.language_code)
            follows = any(code in chain and not public[key] & set(chain[: chain.index(code)]) for code in changed[key])
            if follows:
                found.append((page, bool(public[key] & set(chain))))
    return found


def clinic_rows_following(index, changed):
    """Site index rows of the public clinic pages whose served page follows library copies
    that changed, as :func:`clinic_copies_following` judges it, from the index once the
    change is applied (the CDN purge, after the commit). One query.

    Args:
        index: the site index.
        changed: ``{library translation key (str): locales whose copy changed}``.
    """
    from pages.models import ClinicPage

    if not changed:
        return []
    found = []
    pairs = ClinicPage.objects.filter(library_page__translation_key__in=list(changed)).values_list(
        "pk", "library_page__translation_key"
    )
    with sites.scoped(None):  # library pages belong to the group: the hub's chains, every copy
        for page_id, key in pairs:
            row = index.by_id.get(page_id)
            if row is None:
                continue
            public = set(index.copies(key))
            chain = fallback_chain(row.locale)
            if any(code in chain and not public & set(chain[: chain.index(code)]) for code in changed[str(key)]):
                found.append(row)
    return found


def shown_library_copy(page):
    """The library copy clinic page ``page`` shows, read from the database (specific, or None
    when no copy is public): its locale's along the hub's fallback chain."""
    key = Page.objects.filter(pk=page.library_page_id).values_list("translation_key", flat=True).first()
    copies = {
        copy.locale.language_code: copy
        for copy in public_pages(Page.objects.filter(translation_key=key)).select_related("locale")
    }
    with sites.scoped(None):
        chain = fallback_chain(page.locale.language_code)
    found = next((copies[code] for code in chain if code in copies), None)
    return found.specific if found is not None else None
