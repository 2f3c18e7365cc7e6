"""Rich text as XLIFF inline codes, and back.

wagtail-localize stores a rich-text segment as HTML with inline tags only (``<b>``,
``<a id="a1">``, ``<br>``, …). A CAT tool must show the words and protect the tags, so
XLIFF carries the text as text and every tag as an inline code: ``<pc>``/``<ph>`` in
XLIFF 2.0 (the markup itself in ``<originalData>``, out of the translatable text) and
``<g>``/``<x>`` in XLIFF 1.2.

Codes are numbered 1, 2, … in the order their tags open in the source. On import the
codes of a target are turned back into the *current source's* tags, never into markup
the file claims: a code the source does not have, one missing, one used twice, or a pair
closed before it opens or across another is reported for that unit.
"""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from lxml import etree

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VOID_TAGS = {"br"}
# XLIFF 2.0 type/subType and XLIFF 1.2 ctype of the tags wagtail-localize keeps inline.
XLIFF2_TYPES = {
    "b": {"type": "fmt", "subType": "xlf:b"},
    "strong": {"type": "fmt", "subType": "xlf:b"},
    "i": {"type": "fmt", "subType": "xlf:i"},
    "em": {"type": "fmt", "subType": "xlf:i"},
    "br": {"type": "fmt", "subType": "xlf:lb"},
    "a": {"type": "link"},
}
XLIFF12_CTYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "a": "link", "br": "lb"}


@dataclass(frozen=True)
class Code:
    """One tag of the source: a pair (``<b>…</b>``) or a standalone (``<br>``)."""

    id: str
    tag: str
    start: str
    end: str = ""

    @property
    def standalone(self):
        return self.tag in VOID_TAGS

    def label(self):
        return f"{self.start}…{self.end}" if self.end else self.start


class _Splitter(HTMLParser):
    """Split wagtail-localize HTML into text and open/close/standalone events."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events, self.codes, self._open = [], [], []

    def _code(self, tag, attrs):
        ident = dict(attrs).get("id")
        start = f'<{tag} id="{ident}">' if ident else f"<{tag}>"
        code = Code(str(len(self.codes) + 1), tag, start, "" if tag in VOID_TAGS else f"</{tag}>")
        self.codes.append(code)
        return code

    def handle_starttag(self, tag, attrs):
        code = self._code(tag, attrs)
        if code.standalone:
            self.events.append(("ph", code))
        else:
            self.events.append(("open", code))
            self._open.append(code)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                self.events.append(("close", self._open.pop(index)))
                return

    def handle_data(self, data):
        self.events.append(("text", data))


def split_html(text, reference=None):
    """(events, codes) of a segment's HTML: events are ("text", str) or (kind, Code).

    With ``reference`` (the source's HTML), the tags of ``text`` (a translation) get the
    ids of the same tags in the source, so a CAT tool sees that ``<a id="a1">`` is code 2
    in both even when the translation puts it first. A tag the source lacks gets a new id.
    """
    splitter = _Splitter()
    splitter.feed(text)
    splitter.close()
    if reference is None:
        return splitter.events, splitter.codes
    free = list(split_html(reference)[1])
    ids, extra = {}, len(free)
    for code in splitter.codes:
        match = next((candidate for candidate in free if candidate.start == code.start), None)
        if match is not None:
            free.remove(match)
            ids[code.id] = match.id
        else:
            extra += 1
            ids[code.id] = str(extra)
    renamed = {code.id: Code(ids[code.id], code.tag, code.start, code.end) for code in splitter.codes}
    events = [(kind, value if kind == "text" else renamed[value.id]) for kind, value in splitter.events]
    return events, list(renamed.values())


def _append_text(parent, text):
    children = list(parent)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def write_xliff2_content(element, text, data_ids, reference=None):
    """Fill an lxml ``<source>``/``<target>`` with text and ``<pc>``/``<ph>``; ``data_ids`` collects originalData.

    ``reference`` is the source's HTML when ``text`` is a translation (see split_html).
    """
    stack = [element]
    for kind, value in split_html(text, reference)[0]:
        if kind == "text":
            _append_text(stack[-1], value)
            continue
        code = value
        kind_attrs = XLIFF2_TYPES.get(code.tag, {})
        if kind == "ph":
            data_ids[f"d{code.id}"] = code.start
            attrs = {"id": code.id, "dataRef": f"d{code.id}", **kind_attrs}
            etree.SubElement(stack[-1], f"{{{XLIFF2}}}ph", attrs)
        elif kind == "open":
            data_ids[f"d{code.id}"], data_ids[f"d{code.id}e"] = code.start, code.end
            attrs = {"id": code.id, "dataRefStart": f"d{code.id}", "dataRefEnd": f"d{code.id}e", **kind_attrs}
            stack.append(etree.SubElement(stack[-1], f"{{{XLIFF2}}}pc", attrs))
        else:
            stack.pop()


def write_xliff12_content(element, text, reference=None):
    """Fill an lxml XLIFF 1.2 ``<source>``/``<target>`` with text, ``<g>`` and ``<x>``."""
    stack = [element]
    for kind, value in split_html(text, reference)[0]:
        if kind == "text":
            _append_text(stack[-1], value)
            continue
        ctype = XLIFF12_CTYPES.get(value.tag, f"x-html-{value.tag}")
        if kind == "ph":
            etree.SubElement(stack[-1], f"{{{XLIFF12}}}x", {"id": value.id, "ctype": ctype})
        elif kind == "open":
            stack.append(etree.SubElement(stack[-1], f"{{{XLIFF12}}}g", {"id": value.id, "ctype": ctype}))
        else:
            stack.pop()


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# Element name -> role, for both XLIFF versions: "pair" wraps content; "open"/"close" are the two
# halves of a pair written apart (2.0 sc/ec, 1.2 bpt/ept, bx/ex); "ph" stands alone; "skip" has
# no text (markers, native code inside bpt/ept/ph); "wrap" is an annotation whose content counts;
# "cp" is a character written as its code point.
ROLES = {
    "pc": "pair",
    "g": "pair",
    "sc": "open",
    "bx": "open",
    "bpt": "open",
    "ec": "close",
    "ex": "close",
    "ept": "close",
    "ph": "ph",
    "x": "ph",
    "it": "isolated",
    "sm": "skip",
    "em": "skip",
    "mrk": "wrap",
    "sub": "skip",
    "cp": "cp",
}


def _code_point(hex_value):
    """The character an XLIFF 2.0 ``<cp hex="…"/>`` stands for (one XML cannot carry as text)."""
    try:
        return chr(int(hex_value, 16))
    except (ValueError, OverflowError):
        return ""


class _Reader:
    """Turn one ``<source>``/``<target>`` back into HTML with the current source's codes."""

    def __init__(self, codes, preserve):
        self.codes = {code.id: code for code in codes}
        self.preserve = preserve
        self.parts, self.problems, self.used, self.open = [], [], [], []

    def text(self, value):
        if value:
            self.parts.append(html.escape(value, quote=False))

    def code(self, ident):
        code = self.codes.get(ident or "")
        if code is None:
            self.problems.append(_("Inline code %(id)s is not in the source.") % {"id": ident or "?"})
        return code

    def start(self, code):
        if code.id in self.used:
            self.problems.append(
                _("Inline code %(id)s (%(code)s) is used twice.") % {"id": code.id, "code": code.label()}
            )
        self.used.append(code.id)
        self.parts.append(code.start)
        if not code.standalone:
            self.open.append(code.id)

    def end(self, code):
        if code.id not in self.open:
            self.problems.append(
                _("Inline code %(id)s (%(code)s) closes before it opens.") % {"id": code.id, "code": code.label()}
            )
            return
        if self.open[-1] != code.id:
            self.problems.append(
                _("Inline codes %(id)s and %(other)s overlap: close them in the reverse order they open.")
                % {"id": code.id, "other": self.open[-1]}
            )
        self.open.remove(code.id)
        self.parts.append(code.end)

    def walk(self, element):
        self.text(element.text)
        for child in element:
            self.child(child)
            self.text(child.tail)

    def child(self, child):
        name = _local(child.tag)
        role = ROLES.get(name, "wrap")
        if role == "skip":
            return
        if role == "wrap":
            self.walk(child)
            return
        if role == "cp":
            self.text(_code_point(child.get("hex", "")))
            return
        if name == "ec":
            ident = child.get("startRef") or child.get("id")
        elif name in ("bpt", "ept", "bx", "ex", "it"):
            # XLIFF 1.2 pairs the two halves by rid when it is given.
            ident = child.get("rid") or child.get("id")
        else:
            ident = child.get("id")
        if role == "isolated":
            role = "close" if child.get("pos") == "close" else "open"
        code = self.code(ident)
        if code is None:
            return
        if role == "ph":
            if not code.standalone:
                self.problems.append(
                    _("Inline code %(id)s (%(code)s) must wrap text, not stand alone.")
                    % {"id": code.id, "code": code.label()}
                )
                return
            self.start(code)
        elif code.standalone:
            if role != "close":
                self.start(code)
            if role == "pair":
                self.walk(child)
        elif role == "pair":
            self.start(code)
            self.walk(child)
            self.end(code)
        elif role == "open":
            self.start(code)
        else:
            self.end(code)

    def result(self):
        for ident in self.open:
            code = self.codes[ident]
            self.problems.append(
                _("Inline code %(id)s (%(code)s) is never closed.") % {"id": ident, "code": code.label()}
            )
        missing = [code for ident, code in self.codes.items() if ident not in self.used]
        if missing:
            self.problems.append(
                _("Inline codes missing from the translation: %(codes)s.")
                % {"codes": ", ".join(f"{code.id} ({code.label()})" for code in missing)}
            )
        text = "".join(self.parts)
        if not self.preserve:
            text = re.sub(r"\s+", " ", text).strip()
        return text, self.problems


def read_content(elements, source_html, preserve=True):
    """(HTML, problems) of XLIFF ``<source>``s or ``<target>``s (one per segment), codes mapped to ``source_html``.

    ``preserve`` is false when xml:space is not "preserve": whitespace is then folded,
    as XML allows (some tools indent inside the text they write back).
    """
    elements = [element for element in elements if element is not None]
    if not any(len(element) or (element.text or "").strip() for element in elements):
        return "", []
    reader = _Reader(split_html(source_html)[1], preserve)
    for element in elements:
        reader.walk(element)
    return reader.result()
