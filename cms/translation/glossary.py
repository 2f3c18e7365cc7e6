"""The termbase: how clinic terms must be translated, per locale pair.

Edited in the admin (Settings › Glossary), checked on every translation
(``cms.translation.qa.check_glossary``), sent to DeepL as a glossary
(``cms.translation.machine``), and exchanged with CAT tools as TBX (the ISO 30042
``martif`` dialect translate-toolkit and most tools read) or CSV with a header naming
the pair (``en,fr,note``). An import is all or nothing and refuses a file for another
locale pair.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from .files import checked_bytes, expect_pair, parse_untrusted_xml, site_locale
from .models import GlossaryTerm

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TERM_MAX = GlossaryTerm._meta.get_field("source_term").max_length
NOTE_MAX = GlossaryTerm._meta.get_field("note").max_length

# Terms of the microneedling demo (``manage.py translation_glossary --demo``), as its
# translations already use them.
DEMO_TERMS = {
    "fr": [("microneedling", "microneedling"), ("dermatologist", "dermatologue"), ("collagen", "collagène")],
    "de": [("microneedling", "Microneedling"), ("collagen", "Kollagen")],
    "es": [("dermatologist", "dermatólogo"), ("collagen", "colágeno")],
}


def terms_of(source, target):
    return GlossaryTerm.objects.for_pair(source, target).order_by("source_term")


def to_tbx(source, target):
    """The pair's termbase as a TBX document (bytes)."""
    root = etree.Element("martif", type="TBX")
    root.set(XML_LANG, source.language_code)
    header = etree.SubElement(etree.SubElement(etree.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc")
    etree.SubElement(header, "p").text = f"Clinic glossary {source.language_code} → {target.language_code}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for term in terms_of(source, target):
        entry = etree.SubElement(body, "termEntry", id=f"term-{term.pk}")
        if term.note:
            etree.SubElement(entry, "note").text = term.note
        for locale, text in ((source, term.source_term), (target, term.target_term)):
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set(XML_LANG, locale.language_code)
            etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def to_csv(source, target):
    """The pair's termbase as CSV: a header ``<source code>,<target code>,note``, then one term a line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([source.language_code, target.language_code, "note"])
    for term in terms_of(source, target):
        writer.writerow([term.source_term, term.target_term, term.note])
    return out.getvalue().encode("utf-8")


def _read_tbx(data):
    what = _("glossary file")
    root = parse_untrusted_xml(data, what)
    if root.tag != "martif":
        raise ValidationError(_("The glossary file is not TBX (root element %(tag)s).") % {"tag": root.tag})
    languages, rows = [], []
    for number, entry in enumerate(root.iter("termEntry"), start=1):
        texts = {}
        for lang_set in entry.iter("langSet"):
            code = (lang_set.get(XML_LANG) or "").strip()
            term = lang_set.find(".//term")
            if not code or term is None or not (term.text or "").strip():
                raise ValidationError(
                    _("Term entry %(number)d has a language without a language code or a term.") % {"number": number}
                )
            if code not in languages:
                languages.append(code)
            texts[code] = term.text.strip()
        note = entry.find("note")
        if len(texts) != 2:
            raise ValidationError(
                _("Term entry %(number)d must hold exactly two languages, not %(count)d.")
                % {"number": number, "count": len(texts)}
            )
        rows.append((number, texts, (note.text or "").strip() if note is not None else ""))
    if len(languages) != 2:
        raise ValidationError(
            _("A glossary file holds one locale pair; this one has %(langs)s.") % {"langs": ", ".join(languages) or "-"}
        )
    source_code, target_code = languages
    return source_code, target_code, [(number, t[source_code], t[target_code], note) for number, t, note in rows]


def _read_csv(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The glossary file is not UTF-8 text: %(error)s") % {"error": exc}) from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    if len(header) < 2:
        raise ValidationError(_("The first line of a CSV glossary names the locales, e.g. “en,fr,note”."))
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ValidationError(_("Line %(number)d needs a term and its translation.") % {"number": number})
        rows.append((number, row[0].strip(), row[1].strip(), row[2].strip() if len(row) > 2 else ""))
    return header[0], header[1], rows


def read_glossary(data):
    """(source code, target code, [(position, term, translation, note)]) from TBX or CSV bytes."""
    data = checked_bytes(data, _("glossary file"))
    if data.lstrip().startswith(b"<"):
        return _read_tbx(data)
    return _read_csv(data)


@transaction.atomic
def import_glossary(data, source=None, target=None):
    """Add or update the terms of a TBX or CSV file; returns how many. All or nothing.

    ``source``/``target``: the pair the file must be for (by default, the pair it names).
    """
    what = _("glossary file")
    source_code, target_code, rows = read_glossary(data)
    found_source, found_target = site_locale(source_code, what), site_locale(target_code, what)
    if found_source.pk == found_target.pk:
        raise ValidationError(_("The glossary file translates %(code)s into itself.") % {"code": source_code})
    expect_pair(found_source, found_target, source or found_source, target or found_target, what)
    for number, term, translation, note in rows:
        if max(len(term), len(translation)) > TERM_MAX or len(note) > NOTE_MAX:
            raise ValidationError(
                _("Entry %(number)d is too long: terms may have %(max)d characters.")
                % {"number": number, "max": TERM_MAX}
            )
    for _number, term, translation, note in rows:
        GlossaryTerm.objects.update_or_create(
            source_locale=found_source,
            target_locale=found_target,
            source_term=term,
            defaults={"target_term": translation, "note": note},
        )
    return len(rows)


def load_demo_terms(source):
    """The demo's terms for every locale of ``DEMO_TERMS`` the site has; safe to run again."""
    from wagtail.models import Locale

    count = 0
    for locale in Locale.objects.filter(language_code__in=DEMO_TERMS):
        for term, translation in DEMO_TERMS[locale.language_code]:
            GlossaryTerm.objects.get_or_create(
                source_locale=source, target_locale=locale, source_term=term, defaults={"target_term": translation}
            )
            count += 1
    return count


def deepl_entries(source, target):
    """The pair's terms in DeepL's tab-separated glossary format."""
    return "\n".join(
        f"{term.source_term}\t{term.target_term}"
        for term in terms_of(source, target)
        if "\t" not in term.source_term + term.target_term
    )
