"""Checks an imported translation must pass before it may touch a page.

Each check takes the source text and the new translation (both as wagtail-localize
stores them: inline HTML, escaped) and returns messages a translator can act on. An
empty list means the translation is acceptable.

Numbers matter most: in a clinic a translated "needle length 0.5 mm" that reads "5 mm",
or "4–6 sessions" that became "4–8", is a safety problem, so every number in the source
must appear in the translation, in either decimal convention (0.5 / 0,5, 1,000 / 1 000).
"""

import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from wagtail_localize.strings import INLINE_TAGS, StringValue, validate_translation_links

VOID_TAGS = {"br"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{[\w.]*\}")
NUMBER = re.compile(r"\d+(?:[.,]\d+|[ \u00a0\u202f]\d{3}(?!\d))*")


class _MarkupScanner(HTMLParser):
    """Collects the inline tags of a string and any nesting problems."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = Counter()
        self.problems = []
        self.open = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE_TAGS:
            self.problems.append(_("<%(tag)s> is not allowed; only inline tags such as <b> and <a>.") % {"tag": tag})
        self.tags[_tag_label(tag, attrs)] += 1
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[_tag_label(tag, attrs)] += 1
        if tag not in VOID_TAGS:
            self.problems.append(_("<%(tag)s/> cannot be self-closing.") % {"tag": tag})

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(_("</%(tag)s> closes a tag that is not open.") % {"tag": tag})
            return
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)

    def finish(self):
        self.close()
        for tag in reversed(self.open):
            self.problems.append(_("<%(tag)s> is never closed.") % {"tag": tag})
        self.open = []
        return self


def _tag_label(tag, attrs):
    ident = dict(attrs).get("id")
    return f'<{tag} id="{ident}">' if ident else f"<{tag}>"


def _scan(html):
    scanner = _MarkupScanner()
    scanner.feed(html)
    return scanner.finish()


def check_markup(source, target):
    """Markup is well-formed, allowed by wagtail-localize, and the same tags as the source."""
    scanned = _scan(target)
    problems = list(scanned.problems)
    if not problems:
        try:
            StringValue.from_translated_html(target)
            validate_translation_links(source, target)
        except ValueError as exc:
            problems.append(str(exc))
    source_tags = _scan(source).tags
    missing = source_tags - scanned.tags
    extra = scanned.tags - source_tags
    if missing or extra:
        problems.append(
            _("The markup differs from the source: missing %(missing)s; unexpected %(extra)s.")
            % {
                "missing": ", ".join(sorted(missing.elements())) or "-",
                "extra": ", ".join(sorted(extra.elements())) or "-",
            }
        )
    return problems


def check_placeholders(source, target):
    """Placeholders such as {name} or %(count)s are all kept, none invented."""
    expected, found = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(target))
    if expected == found:
        return []
    return [
        _("Placeholders differ from the source: expected %(expected)s, found %(found)s.")
        % {
            "expected": ", ".join(sorted(expected.elements())) or "-",
            "found": ", ".join(sorted(found.elements())) or "-",
        }
    ]


def _number_value(token):
    """The value of a number written in English, French or German style."""
    digits = re.sub(r"[ \u00a0\u202f]", "", token)
    separators = re.findall(r"[.,]", digits)
    if not separators:
        return Decimal(digits)
    if len(set(separators)) == 2:
        decimal_mark = separators[-1]
        thousands = ({".", ","} - {decimal_mark}).pop()
        return Decimal(digits.replace(thousands, "").replace(decimal_mark, "."))
    head, *groups = re.split(r"[.,]", digits)
    if len(groups) > 1 or (len(groups[0]) == 3 and head != "0"):
        return Decimal("".join([head, *groups]))
    return Decimal(f"{head}.{groups[0]}")


def numbers_in(html):
    """The numbers of a string's text (markup and placeholders ignored), as a Counter of values."""
    text = PLACEHOLDER.sub(" ", "".join(_scan(html).text))
    return Counter(_number_value(token) for token in NUMBER.findall(text))


def check_numbers(source, target):
    """Every number of the source appears in the translation, and no other number."""
    expected, found = numbers_in(source), numbers_in(target)
    if expected == found:
        return []

    def show(values):
        return ", ".join(f"{value.normalize():f}" for value in sorted(values.elements())) or _("none")

    return [
        _("The numbers differ from the source: the source has %(expected)s, the translation has %(found)s.")
        % {"expected": show(expected), "found": show(found)}
    ]


def text_length(html):
    """The length a reader sees: wagtail-localize's text rendering, without markup."""
    return len(StringValue(html).render_text())


def check_length(target, max_length):
    if max_length and text_length(target) > max_length:
        return [
            _("The translation is %(length)d characters long; this field allows at most %(max)d.")
            % {"length": text_length(target), "max": max_length}
        ]
    return []


def check_translation(source, target, max_length=None):
    """All checks for one unit; the markup check first, since the others read the text through it."""
    problems = check_markup(source, target)
    if problems:
        return problems
    return check_placeholders(source, target) + check_numbers(source, target) + check_length(target, max_length)
