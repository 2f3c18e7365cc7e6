"""Checking a page against its market's claims rules (``models.ClaimRule``).

The text checked is the page as the API serves it (``hashing.approved_content``):
title, SEO text and every string of its content, HTML tags removed, in the page's own
language, against the rules of the market of that language. Images are checked by
their description (alt text). Each violation names the rule, where it comes from and
the words that broke it, for the editor.
"""

import html
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cms.review.hashing import approved_content
from cms.review.models import ClaimRule

TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Violation:
    rule: ClaimRule
    text: str

    def __str__(self):
        kind = self.rule.get_kind_display()
        if self.rule.kind == ClaimRule.Kind.NEEDS_CITATION:
            return _("“%(text)s” needs a source (%(rule)s, %(source)s): add one under Sources") % {
                "text": self.text,
                "rule": self.rule.name,
                "source": self.rule.source,
            }
        return _("“%(text)s”: %(kind)s, rule “%(rule)s” (%(source)s)") % {
            "text": self.text,
            "kind": kind,
            "rule": self.rule.name,
            "source": self.rule.source,
        }


def _strings(value, images):
    """Every text of ``value``; image descriptions go to ``images`` instead."""
    if isinstance(value, dict):
        if "alt" in value and "width" in value:
            images.append(value.get("alt") or "")
            return
        for item in value.values():
            yield from _strings(item, images)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, images)
    elif isinstance(value, str):
        yield html.unescape(TAG.sub(" ", value))


def violations(page, rules=None):
    """The rules ``page`` (a page or a revision's object) breaks, as :class:`Violation` objects."""
    if rules is None:
        rules = ClaimRule.objects.filter(active=True, market__locale_id=page.locale_id).select_related("market")
    rules = list(rules)
    if not rules:
        return []
    content = approved_content(page)
    images = []
    text = "\n".join(
        _strings([content["title"], content["seo_title"], content["search_description"], content["content"]], images)
    )
    has_sources = bool(content["content"].get("sources"))
    found = []
    for rule in rules:
        pattern = rule.compiled()
        if rule.kind == ClaimRule.Kind.BEFORE_AFTER:
            found += [Violation(rule, alt) for alt in images if pattern.search(alt)]
            continue
        match = pattern.search(text)
        if match is None or (rule.kind == ClaimRule.Kind.NEEDS_CITATION and has_sources):
            continue
        found.append(Violation(rule, match.group(0)))
    return found


def summary(page):
    """One message naming every broken rule, or None."""
    broken = violations(page)
    if not broken:
        return None
    return _("This page breaks claims rules: %(rules)s") % {"rules": "; ".join(str(v) for v in broken)}
