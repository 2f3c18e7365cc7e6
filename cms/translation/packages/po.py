"""Translation packages as gettext PO files, for Poedit, Lokalize, Weblate and msgfmt.

One entry per unit: ``msgctxt`` is the unit id (so two fields with the same English
text stay separate entries), ``msgid`` the source, ``msgstr`` the translation. The
context a translator needs goes into extracted comments (``#.``) and the field path
into the reference (``#:``). A person's translation is final; machine translations,
suggestions still to review and stale units are flagged ``fuzzy`` so CAT tools ask for a
review. A stale unit carries its previous translation as ``msgstr`` and the text it
translated as the previous msgid (``#| msgid``), as ``msgmerge`` does; on import a
``fuzzy`` entry is never published. An untranslated entry with a 100% translation memory
match gets it as a ``fuzzy`` ``msgstr``; fuzzy matches go, with their score, into the
translator comments (``#``), which PO editors show beside the entry.
"""

import polib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .units import IncomingUnit

PACKAGE_HEADER = "X-Translation-Package"
PACKAGE_VERSION = "1"


def _language_name(code):
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def write_po(package):
    """Serialise a Package as PO bytes (UTF-8)."""
    po = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
    po.metadata = {
        "Project-Id-Version": "Clinic content hub",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": _language_name(package.target_locale),
        "Language": package.target_locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": package.source_locale,
        PACKAGE_HEADER: PACKAGE_VERSION,
    }
    for unit in package.units:
        po.append(
            polib.POEntry(
                msgctxt=unit.id,
                msgid=unit.source,
                msgstr=unit.shown_target or "",
                comment="\n".join(f"{category}: {text}" for category, text in unit.notes()),
                occurrences=[(unit.field_path, "")],
                tcomment="\n".join(
                    _("Translation memory, %(score)s%%: %(source)s → %(target)s")
                    % {"score": f"{match.score:g}", "source": match.source_text, "target": match.target_text}
                    for match in unit.memory_matches
                ),
                flags=["fuzzy"] if unit.review_reason else [],
                previous_msgid=unit.previous_source if unit.is_stale else None,
            )
        )
    return str(po).encode("utf-8")


def read_po(text):
    """Read an uploaded PO package: (target locale, source locale, [IncomingUnit]).

    Raises ValidationError with a message for the translator when the file is not a
    package this site exported.
    """
    if "\n" not in text:
        # polib treats a one-line string as a file name; a PO file always has several lines.
        raise ValidationError(_("The file is not a PO file: it has a single line."))
    try:
        po = polib.pofile(text, check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        raise ValidationError(_("The PO file could not be read: %(error)s") % {"error": exc}) from exc
    if "X-WagtailLocalize-TranslationID" in po.metadata:
        raise ValidationError(
            _(
                "This PO file belongs to a single translation made in the page's translation editor, "
                "not to a translation package. Upload it in that page's editor, or export a package here."
            )
        )
    missing = [name for name in ("Language", PACKAGE_HEADER) if not po.metadata.get(name)]
    if missing:
        raise ValidationError(
            _("The PO file has no header or an incomplete one (missing %(fields)s); export a fresh package.")
            % {"fields": ", ".join(missing)}
        )
    units = [
        IncomingUnit(id=entry.msgctxt or "", source=entry.msgid, target=entry.msgstr, needs_review=entry.fuzzy)
        for entry in po
        if not entry.obsolete
    ]
    return po.metadata["Language"].strip(), po.metadata.get("X-Source-Language", "").strip(), units
