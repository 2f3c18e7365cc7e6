"""The translation memory as TMX 1.4b, the exchange format of CAT tools' memories.

One file holds one locale pair: a ``<tu>`` per remembered translation, with the kind of
field in ``<prop type="x-field">``. Segments are the texts as stored (inline HTML as
text, ``datatype="html"``). The export names LISA's DTD in its document type, as the
standard asks (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``), and is valid against it (the suite
checks with the DTD). An import is all or nothing: a file that is malformed, too large or
for another locale pair changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from . import memory
from .files import checked_bytes, expect_pair, parse_untrusted_xml, site_locale
from .models import MemoryEntry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
FIELD_PROP = "x-field"


def to_tmx(source, target):
    """The memory of one locale pair as TMX 1.4b (bytes)."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="clinic-content-hub",
        creationtoolversion="1",
        segtype="block",
        adminlang="en",
        srclang=source.language_code,
        datatype="html",
        **{"o-tmf": "wagtail-localize"},
    )
    body = etree.SubElement(root, "body")
    entries = MemoryEntry.objects.for_pair(source, target).order_by("field_kind", "source_text")
    for entry in entries:
        unit = etree.SubElement(body, "tu", tuid=str(entry.pk))
        etree.SubElement(unit, "prop", type=FIELD_PROP).text = entry.field_kind
        for locale, text in ((source, entry.source_text), (target, entry.target_text)):
            variant = etree.SubElement(unit, "tuv")
            variant.set(XML_LANG, locale.language_code)
            etree.SubElement(variant, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)


def _seg_text(seg):
    """A segment's text; inline TMX elements (``<bpt>``, ``<ph>``…) keep only their text."""
    return "".join(seg.itertext())


def read_tmx(data):
    """(source code, target code, [(field kind, source text, target text)]) from TMX bytes."""
    root = parse_untrusted_xml(checked_bytes(data, _("TMX file")), _("TMX file"))
    header = root.find("header")
    if root.tag != "tmx" or header is None or root.find("body") is None:
        raise ValidationError(_("The file is not TMX: it needs <tmx>, <header> and <body>."))
    source_code = (header.get("srclang") or "").strip()
    if not source_code or source_code == "*all*":
        raise ValidationError(_("The TMX header must name one source language (srclang)."))
    target_codes, rows = set(), []
    for number, unit in enumerate(root.find("body").iter("tu"), start=1):
        texts = {}
        for variant in unit.iter("tuv"):
            code, seg = (variant.get(XML_LANG) or variant.get("lang") or "").strip(), variant.find("seg")
            if not code or seg is None:
                raise ValidationError(_("Unit %(number)d has a <tuv> without xml:lang or <seg>.") % {"number": number})
            texts[code] = _seg_text(seg)
        others = set(texts) - {source_code}
        if source_code not in texts or len(others) != 1:
            raise ValidationError(
                _("Unit %(number)d must hold the source language %(source)s and one other, not %(found)s.")
                % {"number": number, "source": source_code, "found": ", ".join(sorted(texts)) or "-"}
            )
        target_codes |= others
        prop = unit.find(f"prop[@type='{FIELD_PROP}']")
        kind = (prop.text or "").strip() if prop is not None else ""
        rows.append((kind, texts[source_code], texts[others.pop()]))
    if len(target_codes) > 1:
        raise ValidationError(
            _("A TMX file holds one locale pair; this one has targets %(codes)s.")
            % {"codes": ", ".join(sorted(target_codes))}
        )
    if not target_codes:
        raise ValidationError(_("The TMX file has no translation units."))
    return source_code, target_codes.pop(), rows


@transaction.atomic
def import_tmx(data, source=None, target=None):
    """Add a TMX file's units to the memory; returns how many. All or nothing.

    ``source``/``target``: the pair the file must be for (by default, the pair it names).
    """
    what = _("TMX file")
    source_code, target_code, rows = read_tmx(data)
    found_source, found_target = site_locale(source_code, what), site_locale(target_code, what)
    expect_pair(found_source, found_target, source or found_source, target or found_target, what)
    for kind, source_text, target_text in rows:
        memory.remember(found_source, found_target, kind, source_text, target_text)
    return len(rows)
