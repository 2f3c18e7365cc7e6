"""One set of checks for every translation, however it was made.

The same checks (numbers unchanged, markup and placeholders kept, length limits,
glossary terms) run when a translator saves a segment in wagtail-localize's editor, when
a machine translation is stored, and when a package is imported: every one of those
paths saves a ``StringTranslation``, and ``cms.translation.signals`` checks it there.
A translation that fails is kept (the translator's work is never thrown away) but
flagged with a ``QAFlag``: the translation status counts it, and its page cannot be
published in that locale (``publish_blockers``) until the text is fixed or a reviewer
overrides the flag with a reason, which goes to the audit log.

``check_segment`` is the entry point for code that checks text before storing it (the
package importer refuses a failing unit instead of flagging it).
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.strings import StringValue

from .models import GlossaryTerm, QAFlag
from .packages.checks import check_length, check_markup, check_numbers, check_placeholders
from .packages.fields import describe_field

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
        max_length: the field's length limit, if any (``packages.fields.describe_field``).
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


def publish_blockers(page):
    """The open flags that stop ``page`` being published in its locale (empty: go ahead).

    Only while wagtail-localize keeps the page in sync: once its translation is stopped,
    the page is edited directly and its old translations are no longer used."""
    synced = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).exists()
    return list(open_flags(page.translation_key, page.locale_id)) if synced else []


def blocked_message(page, flags):
    return _(
        "“%(title)s” cannot be published in %(locale)s: %(count)d translated segment(s) failed a check "
        "(%(first)s). Fix them, or ask a reviewer to override with a reason."
    ) % {
        "title": page.get_admin_display_title(),
        "locale": page.locale.get_display_name(),
        "count": len(flags),
        "first": flags[0].messages()[0],
    }


@transaction.atomic
def override(flag, user, reason):
    """A reviewer accepts a flagged translation as it is; recorded in the audit log.

    Raises ValueError without a reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Give a reason for accepting the translation as it is."))
    flag.overridden_by = user
    flag.overridden_at = timezone.now()
    flag.override_reason = reason
    flag.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
    translation = flag.string_translation
    page = Page.objects.filter(translation_key=translation.context.object_id, locale_id=translation.locale_id).first()
    if page is not None:
        log(
            instance=page,
            action=OVERRIDE_ACTION,
            user=user,
            data={
                "reason": reason,
                "field": translation.context.path,
                "text": translation.data,
                "problems": flag.messages(),
            },
        )
    return flag
