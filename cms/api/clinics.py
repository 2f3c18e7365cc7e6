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

from pages.models.clinic import FROM_CLINIC, FROM_LIBRARY

from . import sites
from .locales import fallback_chain
from .lookup import _Candidate
from .site_index import site_index


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
    from wagtail.models import Page

    return str(Page.objects.filter(pk=page.library_page_id).values_list("translation_key", flat=True).first())


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
