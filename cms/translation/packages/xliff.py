"""Translation packages as XLIFF 2.0 and XLIFF 1.2, the formats CAT tools exchange.

Each page (wagtail-localize Translation) is one ``<file>``; each unit carries the
source, the current translation and notes (page, field, block type, preview link,
length limit, stale and machine-translation remarks). What tools act on goes where the
standards put it:

- rich text as inline codes (see ``inline.py``);
- the translation's state: a person's translation is final (2.0 ``state="final"``,
  1.2 ``state="translated"`` with ``approved="yes"``); a machine translation, a
  suggestion still to review, or a stale unit's previous translation needs review (2.0
  ``initial`` with a ``cms:`` subState, 1.2 ``needs-review-translation``);
- length limits in 2.0's Size and Length Restriction module (``slr:sizeRestriction``,
  counted in code points) and 1.2's ``maxwidth``/``size-unit``;
- a stale unit's previous translation, with the source it translated, as a 2.0
  ``<mtc:match>`` and a 1.2 ``<alt-trans alttranstype="previous-version">``;
- translation memory: a 100% match fills an empty target as needing review (2.0
  subState ``cms:memory``, 1.2 ``state-qualifier="exact-match"``), and fuzzy matches go
  with their score as 2.0 ``<mtc:match matchQuality>`` and 1.2 ``<alt-trans match-quality>``.

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

from .inline import XLIFF2, XLIFF12, XML_SPACE, read_content, write_xliff2_content, write_xliff12_content
from .units import IncomingUnit

SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
PREVIOUS_TRANSLATION = "previous translation"
MEMORY_ORIGIN = "translation memory"
# XLIFF 1.2 state-qualifier of a target that needs review, by Unit.review_reason.
XLIFF12_QUALIFIERS = {"machine": "leveraged-mt", "stale": "fuzzy-match", "memory": "exact-match"}
# XLIFF 1.2 target states a reviewer still has to look at; XLIFF 2.0's is "initial" (also its default).
XLIFF12_REVIEW_STATES = {
    "new",
    "needs-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
}


def _per_page(package):
    return groupby(package.units, key=lambda unit: unit.key.translation_id)


def _serialise(root):
    etree.indent(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _original_data(parent, data_ids):
    if data_ids:
        data_el = etree.SubElement(parent, f"{{{XLIFF2}}}originalData")
        for ident, markup in data_ids.items():
            etree.SubElement(data_el, f"{{{XLIFF2}}}data", {"id": ident}).text = markup


def _score(match):
    return f"{match.score:g}"


def _matches(unit_el, unit):
    """A stale unit's previous translation and the translation memory's fuzzy matches, as
    <mtc:match>es on the unit's segment; none, no element."""
    found = []
    if unit.is_stale:
        found.append(({"origin": PREVIOUS_TRANSLATION}, unit.previous_source or "", unit.previous_translation))
    found += [
        ({"origin": MEMORY_ORIGIN, "matchQuality": _score(match)}, match.source_text, match.target_text)
        for match in unit.memory_matches
    ]
    if not found:
        return
    matches_el = etree.SubElement(unit_el, f"{{{MTC}}}matches")
    for attrs, source, target in found:
        match_el = etree.SubElement(matches_el, f"{{{MTC}}}match", {"ref": "#s1", "type": "tm", **attrs})
        data_ids = {}
        source_el = etree.Element(f"{{{XLIFF2}}}source", {XML_SPACE: "preserve"})
        target_el = etree.Element(f"{{{XLIFF2}}}target", {XML_SPACE: "preserve"})
        write_xliff2_content(source_el, source, data_ids)
        write_xliff2_content(target_el, target, data_ids, reference=source)
        _original_data(match_el, data_ids)
        match_el.extend([source_el, target_el])


def write_xliff2(package):
    """Serialise a Package as XLIFF 2.0 bytes."""
    q = lambda name: f"{{{XLIFF2}}}{name}"  # noqa: E731
    root = etree.Element(
        q("xliff"),
        {"version": "2.0", "srcLang": package.source_locale, "trgLang": package.target_locale},
        nsmap={None: XLIFF2, "slr": SLR, "mtc": MTC},
    )
    for translation_id, units in _per_page(package):
        units = list(units)
        file_el = etree.SubElement(root, q("file"), {"id": f"t{translation_id}"})
        if any(unit.max_length for unit in units):
            etree.SubElement(file_el, f"{{{SLR}}}profiles", {"generalProfile": "xliff:codepoints"})
        notes_el = etree.SubElement(file_el, q("notes"))
        etree.SubElement(notes_el, q("note"), {"category": "page"}).text = package.titles.get(translation_id, "")
        for unit in units:
            attrs = {"id": unit.id, "name": unit.field_path}
            if unit.max_length:
                attrs[f"{{{SLR}}}sizeRestriction"] = str(unit.max_length)
            unit_el = etree.SubElement(file_el, q("unit"), attrs)
            _matches(unit_el, unit)
            notes_el = etree.SubElement(unit_el, q("notes"))
            for category, text in unit.notes():
                etree.SubElement(notes_el, q("note"), {"category": category}).text = text
            data_ids = {}
            target = unit.shown_target
            # The segment gets an id only when a match must point at it (translate-toolkit adds it to unit ids).
            segment_attrs = {"id": "s1"} if unit.is_stale or unit.memory_matches else {}
            if target:
                reason = unit.review_reason
                segment_attrs.update(
                    {"state": "initial", "subState": f"cms:{reason}"} if reason else {"state": "final"}
                )
            source_el = etree.Element(q("source"), {XML_SPACE: "preserve"})
            write_xliff2_content(source_el, unit.source, data_ids)
            segment_children = [source_el]
            if target:
                target_el = etree.Element(q("target"), {XML_SPACE: "preserve"})
                write_xliff2_content(target_el, target, data_ids, reference=unit.source)
                segment_children.append(target_el)
            _original_data(unit_el, data_ids)
            etree.SubElement(unit_el, q("segment"), segment_attrs).extend(segment_children)
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
            target = unit.shown_target
            reason = unit.review_reason
            if target:
                attrs["approved"] = "no" if reason else "yes"
            unit_el = etree.SubElement(body_el, q("trans-unit"), attrs)
            write_xliff12_content(etree.SubElement(unit_el, q("source")), unit.source)
            if target:
                state = {"state": "translated"}
                if reason:
                    qualifier = XLIFF12_QUALIFIERS.get(reason)
                    state = {"state": "needs-review-translation"}
                    if qualifier:
                        state["state-qualifier"] = qualifier
                write_xliff12_content(etree.SubElement(unit_el, q("target"), state), target, reference=unit.source)
            if unit.is_stale:
                alt_el = etree.SubElement(unit_el, q("alt-trans"), {"alttranstype": "previous-version"})
                write_xliff12_content(etree.SubElement(alt_el, q("source")), unit.previous_source or "")
                write_xliff12_content(
                    etree.SubElement(alt_el, q("target")), unit.previous_translation, reference=unit.previous_source
                )
            for match in unit.memory_matches:
                alt_el = etree.SubElement(
                    unit_el, q("alt-trans"), {"match-quality": _score(match), "origin": MEMORY_ORIGIN}
                )
                write_xliff12_content(etree.SubElement(alt_el, q("source")), match.source_text)
                write_xliff12_content(
                    etree.SubElement(alt_el, q("target")), match.target_text, reference=match.source_text
                )
            for category, text in unit.notes():
                etree.SubElement(unit_el, q("note"), {"from": category}).text = text
    return _serialise(root)


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


def _preserves(*elements):
    """Whether xml:space="preserve" applies, looking from the innermost element out."""
    for element in elements:
        value = element.get(XML_SPACE) if element is not None else None
        if value:
            return value == "preserve"
    return False


def _has_text(element):
    return element is not None and (len(element) > 0 or bool((element.text or "").strip()))


def _unit(unit_el, sources, targets, needs_review, preserve):
    def read(current_source):
        source, _problems = read_content(sources, current_source, preserve)
        target, problems = read_content(targets, current_source, preserve)
        return source, target, problems

    return IncomingUnit(id=unit_el.get("id", ""), needs_review=needs_review, read=read)


def _read_xliff2(root):
    q = lambda name: f"{{{XLIFF2}}}{name}"  # noqa: E731
    units = []
    for file_el in root.iter(q("file")):
        for unit_el in file_el.iter(q("unit")):
            # A CAT tool may split a unit into several segments; the unit's text is all of them in order.
            parts = [child for child in unit_el if child.tag in (q("segment"), q("ignorable"))]
            sources = [part.find(q("source")) for part in parts]
            targets = [part.find(q("target")) for part in parts]
            # "initial" is also the default: a segment whose state a tool dropped is not taken as final.
            needs_review = any(
                part.get("state", "initial") == "initial"
                for part, target in zip(parts, targets, strict=True)
                if part.tag == q("segment") and _has_text(target)
            )
            preserve = _preserves(*targets[:1], *sources[:1], *parts[:1], unit_el, file_el, root)
            units.append(_unit(unit_el, sources, targets, needs_review, preserve))
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
            source_el, target_el = unit_el.find(q("source")), unit_el.find(q("target"))
            needs_review = target_el is not None and (
                target_el.get("state") in XLIFF12_REVIEW_STATES or unit_el.get("approved") == "no"
            )
            preserve = _preserves(target_el, source_el, unit_el, file_el, root)
            units.append(_unit(unit_el, [source_el], [target_el], needs_review, preserve))
    source_locale = files[0].get("source-language", "") if files else ""
    return (locales.pop() if locales else ""), source_locale, units
