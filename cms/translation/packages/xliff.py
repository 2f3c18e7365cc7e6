"""Translation packages as XLIFF 2.0 and XLIFF 1.2, the formats CAT tools exchange.

Each page (wagtail-localize Translation) is one ``<file>``; each unit carries the
source, the current translation and notes (page, field, block type, preview link,
length limit, stale and machine-translation remarks). XLIFF 1.2 also states the limit
in the standard ``maxwidth``/``size-unit`` attributes.

Markup inside a string (``<b>``, ``<a id="a1">``) travels as escaped text, exactly as
wagtail-localize stores it; the import checks it comes back intact.

Files are written with lxml and read only through defusedxml, with DTDs forbidden:
no external entities, no entity expansion.
"""

import xml.etree.ElementTree as ET
from itertools import groupby

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from .units import IncomingUnit

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _per_page(package):
    return groupby(package.units, key=lambda unit: unit.key.translation_id)


def _serialise(root):
    etree.indent(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def write_xliff2(package):
    """Serialise a Package as XLIFF 2.0 bytes."""
    q = lambda name: f"{{{XLIFF2}}}{name}"  # noqa: E731
    root = etree.Element(
        q("xliff"),
        {"version": "2.0", "srcLang": package.source_locale, "trgLang": package.target_locale},
        nsmap={None: XLIFF2},
    )
    for translation_id, units in _per_page(package):
        file_el = etree.SubElement(root, q("file"), {"id": f"t{translation_id}"})
        notes_el = etree.SubElement(file_el, q("notes"))
        etree.SubElement(notes_el, q("note"), {"category": "page"}).text = package.titles.get(translation_id, "")
        for unit in units:
            unit_el = etree.SubElement(file_el, q("unit"), {"id": unit.id, "name": unit.field_path})
            notes_el = etree.SubElement(unit_el, q("notes"))
            for category, text in unit.notes():
                etree.SubElement(notes_el, q("note"), {"category": category}).text = text
            attrs = {}
            if unit.target:
                attrs = {"state": "translated"}
                if unit.machine_tool is not None:
                    attrs = {"state": "initial", "subState": "cms:machine"}
            segment_el = etree.SubElement(unit_el, q("segment"), attrs)
            etree.SubElement(segment_el, q("source"), {XML_SPACE: "preserve"}).text = unit.source
            if unit.target:
                etree.SubElement(segment_el, q("target"), {XML_SPACE: "preserve"}).text = unit.target
    return _serialise(root)


def write_xliff12(package):
    """Serialise a Package as XLIFF 1.2 bytes."""
    q = lambda name: f"{{{XLIFF12}}}{name}"  # noqa: E731
    root = etree.Element(q("xliff"), {"version": "1.2"}, nsmap={None: XLIFF12})
    for translation_id, units in _per_page(package):
        file_el = etree.SubElement(
            root,
            q("file"),
            {
                "original": f"t{translation_id}",
                "source-language": package.source_locale,
                "target-language": package.target_locale,
                "datatype": "html",
            },
        )
        header_el = etree.SubElement(file_el, q("header"))
        etree.SubElement(header_el, q("note"), {"from": "page"}).text = package.titles.get(translation_id, "")
        body_el = etree.SubElement(file_el, q("body"))
        for unit in units:
            attrs = {"id": unit.id, "resname": unit.field_path, XML_SPACE: "preserve"}
            if unit.max_length:
                attrs.update({"maxwidth": str(unit.max_length), "size-unit": "char"})
            unit_el = etree.SubElement(body_el, q("trans-unit"), attrs)
            etree.SubElement(unit_el, q("source")).text = unit.source
            if unit.target:
                state = {"state": "translated"}
                if unit.machine_tool is not None:
                    state = {"state": "needs-review-translation", "state-qualifier": "leveraged-mt"}
                etree.SubElement(unit_el, q("target"), state).text = unit.target
            for category, text in unit.notes():
                etree.SubElement(unit_el, q("note"), {"from": category}).text = text
    return _serialise(root)


def _text(element):
    """The text of a source/target, inline elements flattened (a tool may wrap text in <mrk>/<g>)."""
    return "" if element is None else "".join(element.itertext())


def parse_xml(data):
    """Parse untrusted XML bytes safely; ValidationError on DTDs, entities or malformed XML."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ValidationError(
            _("The XLIFF file declares a DTD or entities (%(what)s); packages never do, so it was rejected.")
            % {"what": type(exc).__name__}
        ) from exc
    except ET.ParseError as exc:
        raise ValidationError(_("The XLIFF file is not well-formed XML: %(error)s") % {"error": exc}) from exc


def read_xliff(root):
    """Read a parsed XLIFF 2.0 or 1.2 package: (target locale, source locale, [IncomingUnit])."""
    if root.tag == f"{{{XLIFF2}}}xliff":
        return _read_xliff2(root)
    if root.tag == f"{{{XLIFF12}}}xliff":
        return _read_xliff12(root)
    raise ValidationError(_("The file is neither XLIFF 2.0 nor XLIFF 1.2 (root element %(tag)s).") % {"tag": root.tag})


def _read_xliff2(root):
    q = lambda name: f"{{{XLIFF2}}}{name}"  # noqa: E731
    units = []
    for unit_el in root.iter(q("unit")):
        # A CAT tool may split a unit into several segments; the unit's text is all of them in order.
        parts = [child for child in unit_el if child.tag in (q("segment"), q("ignorable"))]
        source = "".join(_text(part.find(q("source"))) for part in parts)
        target = "".join(_text(part.find(q("target"))) for part in parts)
        units.append(IncomingUnit(id=unit_el.get("id", ""), source=source, target=target))
    return root.get("trgLang", ""), root.get("srcLang", ""), units


def _read_xliff12(root):
    q = lambda name: f"{{{XLIFF12}}}{name}"  # noqa: E731
    files = root.findall(q("file"))
    locales = {file_el.get("target-language", "") for file_el in files}
    if len(locales) > 1:
        raise ValidationError(
            _("The XLIFF file mixes target languages (%(codes)s); one file holds one locale.")
            % {"codes": ", ".join(sorted(locales))}
        )
    units = []
    for file_el in files:
        for unit_el in file_el.iter(q("trans-unit")):
            units.append(
                IncomingUnit(
                    id=unit_el.get("id", ""),
                    source=_text(unit_el.find(q("source"))),
                    target=_text(unit_el.find(q("target"))),
                )
            )
    source_locale = files[0].get("source-language", "") if files else ""
    return (locales.pop() if locales else ""), source_locale, units
