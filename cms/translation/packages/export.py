"""Export translator packages: one file per locale, zipped when there are several.

Used by ``manage.py translation_export`` and the admin's "Translation packages"
screen, so both give translators the same files.
"""

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .collect import collect_units
from .po import write_po
from .xliff import write_xliff2, write_xliff12

FORMATS = {
    "xliff2": (write_xliff2, ".xlf", "application/xliff+xml"),
    "xliff12": (write_xliff12, "-xliff12.xlf", "application/x-xliff+xml"),
    "po": (write_po, ".po", "text/x-gettext-translation"),
}


@dataclass(frozen=True)
class ExportFile:
    """A finished download: its file name, media type and bytes (and the locales left out as empty)."""

    name: str
    content_type: str
    data: bytes
    empty_locales: tuple = ()


class NothingToExport(ValidationError):
    """The scope holds no segment: XLIFF needs at least one unit, so no file is written."""


def resolve_locales(codes):
    """Locale rows for the codes, in the given order; ValidationError naming the unknown ones."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    unknown = [code for code in codes if code not in locales]
    if unknown or not codes:
        raise ValidationError(
            _("Unknown locale(s): %(codes)s. Known locales: %(known)s.")
            % {"codes": ", ".join(unknown) or "-", "known": ", ".join(sorted(locales))}
        )
    return [locales[code] for code in dict.fromkeys(codes)]


def export_locale(locale, fmt, scope="all", root=None, pages=None):
    """The package of one locale as an ExportFile (of ``pages`` only, when given)."""
    if fmt not in FORMATS:
        raise ValidationError(
            _("Unknown format “%(fmt)s”; choose one of %(all)s.") % {"fmt": fmt, "all": ", ".join(FORMATS)}
        )
    writer, suffix, content_type = FORMATS[fmt]
    package = collect_units(locale, scope=scope, root=root, pages=pages)
    if not package.units:
        raise NothingToExport(
            _("Nothing to export: %(locale)s has no segment in the scope “%(scope)s”.")
            % {"locale": locale.language_code, "scope": scope}
        )
    name = f"translations-{locale.language_code}-{scope}{suffix}"
    return ExportFile(name=name, content_type=content_type, data=writer(package))


def export_packages(locale_codes, fmt, scope="all", root=None, pages=None):
    """Export every locale; one locale gives its file, several give a zip of them.

    A locale with nothing in scope is left out of a zip (and named in ``empty_locales``);
    when no locale has anything, NothingToExport says so rather than writing a file that
    XLIFF tools reject (an ``<xliff>`` needs a ``<file>`` with a unit).
    """
    locales = resolve_locales(locale_codes)
    files, empty = [], []
    for locale in locales:
        try:
            files.append(export_locale(locale, fmt, scope=scope, root=root, pages=pages))
        except NothingToExport:
            if len(locales) == 1:
                raise
            empty.append(locale.language_code)
    if not files:
        raise NothingToExport(
            _("Nothing to export: no segment of %(locales)s is in the scope “%(scope)s”.")
            % {"locales": ", ".join(empty), "scope": scope}
        )
    if len(locales) == 1:
        return files[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(file.name, file.data)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return ExportFile(
        name=f"translations-{scope}-{stamp}.zip",
        content_type="application/zip",
        data=buffer.getvalue(),
        empty_locales=tuple(empty),
    )


def write_atomically(path, data):
    """Write bytes to ``path`` through a temporary file in the same folder, then rename it into place.

    A reader (or a CAT tool watching the folder) never sees half a file.
    """
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp_path = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
