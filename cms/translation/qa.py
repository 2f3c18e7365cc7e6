"""One set of checks for every translation, however it was made.

The same checks (numbers unchanged, markup and placeholders kept, length limits,
glossary terms) run when a translator saves a segment in wagtail-localize's editor, when
a machine translation is stored, and when a package is imported: every one of those
paths saves a ``StringTranslation``, and ``cms.translation.signals`` checks it there.
A translation that fails is kept (the translator's work is never thrown away) but
flagged with a ``QAFlag``: the translation status counts it, and its page cannot be
published in that locale (``publish_blockers``) until the text is fixed or a reviewer
overrides the flag with a reason, which goes to the audit log. A translated snippet
without drafts (a Device) goes live whenever it is saved, so there the flagged field is
held instead (``held_fields``): it keeps its live text, whichever path saves the snippet,
until the text is fixed or a reviewer accepts it (the accepted text then goes live).

``check_segment`` is the entry point for code that checks text before storing it (the
package importer refuses a failing unit instead of flagging it).
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.strings import INLINE_TAGS, StringValue, validate_translation_links

from .fields import describe_field
from .models import GlossaryTerm, QAFlag

OVERRIDE_ACTION = "cms_translation.qa_override"


@dataclass(frozen=True)
class Problem:
    """One failed check: which check (``markup``, ``placeholders``, ``numbers``,
    ``length``, ``glossary``) and a message a translator can act on."""

    check: str
    message: str

    def as_dict(self):
        return {"check": self.check, "message": self.message}


def _plain_text(html):
    return " ".join(StringValue(html).render_text().split())


# --- The checks -----------------------------------------------------------------------
#
# Each takes the source text and the translation (both as wagtail-localize stores them:
# inline HTML, escaped) and returns messages a translator can act on; empty: acceptable.
#
# Numbers matter most: in a clinic a translated "needle length 0.5 mm" that reads "5 mm",
# or "4–6 sessions" that became "4–8", is a safety problem, so every number in the source
# must appear in the translation, in either decimal convention (0.5 / 0,5, 1,000 / 1 000).

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


def check_glossary(source, target, terms):
    """Every glossary term found in the source is translated as the glossary says.

    ``terms``: ``(source_term, target_term)`` pairs of the locale pair. Matching is on
    whole words and ignores case, so "Dermatologist" in a title counts.
    """
    source_text, target_text = _plain_text(source).casefold(), _plain_text(target).casefold()
    problems = []
    for source_term, target_term in terms:
        if re.search(rf"\b{re.escape(source_term.casefold())}\b", source_text) and (
            target_term.casefold() not in target_text
        ):
            problems.append(
                _("Glossary: “%(term)s” should be translated as “%(translation)s”.")
                % {"term": source_term, "translation": target_term}
            )
    return problems


def glossary_terms(source_locale, target_locale):
    """The ``(source_term, target_term)`` pairs of a locale pair."""
    return list(GlossaryTerm.objects.for_pair(source_locale, target_locale).values_list("source_term", "target_term"))


def check_segment(source_text, target_text, *, max_length=None, terms=()):
    """All checks for one segment; returns a list of ``Problem`` (empty: acceptable).

    Args:
        source_text, target_text: the texts as wagtail-localize stores them (inline HTML).
        max_length: the field's length limit, if any (``fields.describe_field``).
        terms: the locale pair's glossary, from ``glossary_terms``.

    The markup check comes first: the others read the text through the markup.
    """
    markup = check_markup(source_text, target_text)
    if markup:
        return [Problem("markup", message) for message in markup]
    checks = (
        ("placeholders", check_placeholders(source_text, target_text)),
        ("numbers", check_numbers(source_text, target_text)),
        ("length", check_length(target_text, max_length)),
        ("glossary", check_glossary(source_text, target_text, terms)),
    )
    return [Problem(name, message) for name, messages in checks for message in messages]


# --- Stored translations ----------------------------------------------------------------


def source_of(string_translation):
    """The TranslationSource a stored translation belongs to (the source locale's)."""
    return (
        TranslationSource.objects.filter(object_id=string_translation.context.object_id)
        .select_related("specific_content_type", "locale")
        .order_by("created_at")
        .first()
    )


def check_stored(string_translation, source):
    """Run ``check_segment`` on a saved ``StringTranslation`` of ``source`` (a TranslationSource or None)."""
    max_length = None
    if source is not None:
        model = source.specific_content_type.model_class()
        context = string_translation.context
        max_length = describe_field(model, context.field_path or context.path).max_length
    terms = glossary_terms(source.locale_id, string_translation.locale_id) if source is not None else ()
    return check_segment(
        string_translation.translation_of.data, string_translation.data, max_length=max_length, terms=terms
    )


def record_check(string_translation, source):
    """Flag a stored translation that fails a check, or clear its flag; returns the problems.

    New text is checked afresh, so a reviewer's override applies only to the text they saw.
    """
    problems = check_stored(string_translation, source)
    if not problems:
        QAFlag.objects.filter(string_translation=string_translation).delete()
        return problems
    QAFlag.objects.update_or_create(
        string_translation=string_translation,
        defaults={
            "problems": [problem.as_dict() for problem in problems],
            "overridden_by": None,
            "overridden_at": None,
            "override_reason": "",
        },
    )
    return problems


# --- Publishing -------------------------------------------------------------------------


def open_flags(translation_key, locale_id):
    """Flags nobody overrode on the translations of one object into one locale."""
    return (
        QAFlag.objects.filter(
            overridden_at=None,
            string_translation__locale_id=locale_id,
            string_translation__context__object_id=translation_key,
        )
        .select_related("string_translation__context", "string_translation__translation_of")
        .order_by("pk")
    )


def _synced(instance):
    """True while wagtail-localize keeps ``instance`` (a page or snippet) in sync with its source."""
    return Translation.objects.filter(
        source__object_id=instance.translation_key, target_locale_id=instance.locale_id, enabled=True
    ).exists()


def publish_blockers(page):
    """The open flags that stop ``page`` being published in its locale (empty: go ahead).

    Only while wagtail-localize keeps the page in sync: once its translation is stopped,
    the page is edited directly and its old translations are no longer used."""
    return list(open_flags(page.translation_key, page.locale_id)) if _synced(page) else []


def held_fields(instance):
    """``{field name: [open flag]}``: the fields of a translated snippet without drafts (a
    Device) that must keep their live text, since a translation in them failed a check.

    A segment of a nested field (a StreamField block) holds its whole field. Empty for a
    source object and once its translation is stopped (as ``publish_blockers``).
    """
    if not _synced(instance):
        return {}
    concrete = {field.name for field in type(instance)._meta.concrete_fields}
    held = {}
    for flag in open_flags(instance.translation_key, instance.locale_id):
        name = flag.string_translation.context.path.split(".")[0]
        if name in concrete:
            held.setdefault(name, []).append(flag)
    return held


CHECK_NAMES = {
    "markup": gettext_lazy("markup"),
    "placeholders": gettext_lazy("placeholders"),
    "numbers": gettext_lazy("numbers"),
    "length": gettext_lazy("length"),
    "glossary": gettext_lazy("glossary"),
}
SHOWN_FLAGS = 3  # a refusal names this many failing segments, then counts the rest


def describe_flag(flag):
    """Which field failed which check, and why: “summary failed the numbers check: …”."""
    context = flag.string_translation.context
    return " ".join(
        _("%(field)s failed the %(check)s check: %(message)s")
        % {
            "field": context.field_path or context.path,
            "check": CHECK_NAMES.get(problem["check"], problem["check"]),
            "message": problem["message"],
        }
        for problem in flag.problems
    )


def blocked_message(page, flags):
    """Why ``page`` cannot be published (or approved) in its locale: the page, the locale,
    and each failing segment's field and check."""
    details = " ".join(describe_flag(flag) for flag in flags[:SHOWN_FLAGS])
    if len(flags) > SHOWN_FLAGS:
        details += " " + _("(%(count)d more on the translation checks screen.)") % {"count": len(flags) - SHOWN_FLAGS}
    return _(
        "“%(title)s” cannot be published in %(locale)s: %(count)d translated segment(s) failed a check. "
        "%(details)s Fix them, or ask a reviewer to override with a reason."
    ) % {
        "title": page.get_admin_display_title(),
        "locale": page.locale.get_display_name(),
        "count": len(flags),
        "details": details,
    }


def translated_object(translation):
    """The object a wagtail-localize ``Translation`` writes into (a specific page or a
    snippet), or None before it is first made."""
    model = translation.source.specific_content_type.model_class()
    found = model._default_manager.filter(
        translation_key=translation.source.object_id, locale_id=translation.target_locale_id
    ).first()
    return found.specific if isinstance(found, Page) else found


@transaction.atomic
def override(flag, user, reason):
    """A reviewer accepts a flagged translation as it is; recorded in the audit log (the
    history of the page or snippet).

    A snippet without drafts (a Device) has no publish step: it is saved at once, so the
    accepted text goes live. Raises ValueError without a reason, and wagtail-localize's
    ValidationError (nothing changed) when the snippet refuses the text.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Give a reason for accepting the translation as it is."))
    flag.overridden_by = user
    flag.overridden_at = timezone.now()
    flag.override_reason = reason
    flag.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
    string_translation = flag.string_translation
    translation = (
        Translation.objects.filter(
            source__object_id=string_translation.context.object_id, target_locale_id=string_translation.locale_id
        )
        .select_related("source__specific_content_type")
        .order_by("-enabled")
        .first()
    )
    target = translated_object(translation) if translation is not None else None
    if target is None:
        return flag
    log(
        instance=target,
        action=OVERRIDE_ACTION,
        user=user,
        data={
            "reason": reason,
            "field": string_translation.context.path,
            "text": string_translation.data,
            "problems": flag.messages(),
        },
    )
    if translation.enabled and not isinstance(target, DraftStateMixin):
        translation.save_target(user=user, publish=True)
    return flag
