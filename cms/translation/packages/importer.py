"""Import a translator's package: read, check every unit, then apply all or nothing.

``plan_import`` never writes: it reads the file, matches every unit to a current
segment and runs the checks (``qa.check_segment``, as the translation editor and machine
translation do, with the locale pair's glossary), giving an ImportPlan (the dry run: a diff of the changes,
how many need review, and the rejected units with page, field and reason).
``apply_import`` refuses a plan with any rejection; otherwise it writes the
StringTranslations and updates the translated pages through wagtail-localize, all in
one transaction, so the admin's translation editor shows the new strings at once and a
failure leaves nothing half-done.

A unit the file marks for review (PO ``fuzzy``, XLIFF 1.2 ``needs-*`` or
``approved="no"``, XLIFF 2.0 ``initial``) is stored as an unreviewed suggestion:
wagtail-localize's "machine" kind of translation, tool "translation package (needs
review)", which the exporter and the status report show as needing review. It goes into
a draft of its page, never into a published version, even with ``publish``.
"""

import codecs
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin, Locale
from wagtail_localize.models import (
    SourceDeletedError,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationContext,
)

from cms.translation import qa
from cms.translation.fields import describe_field
from cms.translation.staleness import annotate_translation_state, is_machine_translated

from .drafts import save_draft
from .po import read_po
from .units import REVIEW_TOOL_NAME, UnitKey
from .xliff import parse_xml, read_xliff

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TOOL_NAME = "translation package"


def max_package_bytes():
    """The largest package the site accepts (setting TRANSLATION_PACKAGE_MAX_BYTES, default 10 MB)."""
    return getattr(settings, "TRANSLATION_PACKAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class Change:
    unit_id: str
    page_title: str
    field_path: str
    old: str
    new: str
    # The file marks the new text for review: it is saved as a suggestion in a draft, never published.
    needs_review: bool = False


@dataclass(frozen=True)
class Rejection:
    unit_id: str
    reason: str
    page_title: str = ""
    field_path: str = ""

    @property
    def where(self):
        """Page, field and unit, as a translator finds them again: "Microneedling / summary (t3.c4.s5)"."""
        place = " / ".join(part for part in (self.page_title, self.field_path) if part)
        return f"{place} ({self.unit_id})" if place else self.unit_id


@dataclass(frozen=True)
class Held:
    """A field of a snippet without drafts (a Device) that the import saves but that keeps its
    live text: a translation in it failed a check and the file does not replace it."""

    page_title: str
    field_path: str
    reason: str


@dataclass
class ImportPlan:
    """What an import would do: the dry run's diff, and why units were rejected."""

    format: str
    locale: Locale
    changes: list = field(default_factory=list)
    rejections: list = field(default_factory=list)
    kept: int = 0  # blank entries, or a stale unit's previous translation sent back unreviewed
    unchanged: int = 0
    held: list = field(default_factory=list)  # Held: flagged fields of saved snippets, kept as they are live
    # Internal: what apply_import writes.
    _writes: list = field(default_factory=list, repr=False)

    @property
    def ok(self):
        return not self.rejections

    @property
    def needs_review(self):
        """Changes the file marks for review: saved as drafts, never published."""
        return sum(change.needs_review for change in self.changes)


class PackageRejected(Exception):
    """An import that must change nothing; ``rejections`` says which units failed and why."""

    def __init__(self, message, rejections=()):
        super().__init__(message)
        self.rejections = list(rejections)


def read_package(data, size=None):
    """(format, target locale code, source locale code, [IncomingUnit]) from raw bytes.

    ``size`` is the whole file's size when ``data`` was read only up to just past the
    limit. A UTF-8 byte-order mark is accepted. Raises ValidationError for files that
    are too large, not UTF-8, not a package, or unsafe XML.
    """
    limit = max_package_bytes()
    size = max(size or 0, len(data))
    if size > limit:
        raise ValidationError(
            _("The file is %(size)d bytes; packages may be at most %(limit)d bytes.") % {"size": size, "limit": limit}
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        root = parse_xml(data)
        fmt = "xliff12" if root.get("version", "").startswith("1.") else "xliff2"
        return (fmt, *read_xliff(root))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text: %(error)s") % {"error": exc}) from exc
    return ("po", *read_po(text))


def _resolve_locale(code):
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    if code not in locales:
        raise ValidationError(
            _("The file is for locale “%(code)s”, which this site does not have; known locales: %(known)s.")
            % {"code": code or "?", "known": ", ".join(sorted(locales))}
        )
    return locales[code]


def plan_import(data, expected_locale=None, size=None, pages=None):
    """Check a package without writing anything; returns an ImportPlan.

    Args:
        data: the file's bytes.
        expected_locale: a locale code the uploader said the file is for; a file for
            another locale is rejected as a whole.
        size: the whole file's size, when ``data`` stops just past the limit.
        pages: when given, the pages the uploader may translate (a page queryset, e.g.
            a clinic's): a unit of any other translation is refused as unknown, telling
            nothing of it.
    """
    fmt, locale_code, _source_code, incoming = read_package(data, size=size)
    locale = _resolve_locale(locale_code)
    if expected_locale and expected_locale != locale.language_code:
        raise ValidationError(
            _("The file is for locale “%(found)s”, not “%(expected)s”.")
            % {"found": locale.language_code, "expected": expected_locale}
        )
    plan = ImportPlan(format=fmt, locale=locale)

    keys = {}
    for unit in incoming:
        try:
            keys[unit.id] = UnitKey.parse(unit.id)
        except ValidationError as exc:
            plan.rejections.append(Rejection(unit.id or "?", exc.messages[0]))
    translation_ids = {key.translation_id for key in keys.values()}
    context_ids = {key.context_id for key in keys.values()}
    translations = Translation.objects.filter(pk__in=translation_ids).select_related(
        "source", "target_locale", "source__specific_content_type"
    )
    if pages is not None:
        translations = translations.filter(source__object_id__in=pages.values("translation_key"))
    translations = {t.pk: t for t in translations}
    segments = {
        (segment.source_id, segment.context_id, segment.string_id): segment
        for segment in annotate_translation_state(
            StringSegment.objects.filter(
                source_id__in={t.source_id for t in translations.values()}, context_id__in=context_ids
            ).select_related("string", "context"),
            locale.pk,
        )
    }
    existing = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(locale=locale, context_id__in=context_ids)
    }
    fields = {
        pk: field_path or path
        for pk, field_path, path in TranslationContext.objects.filter(pk__in=context_ids).values_list(
            "pk", "field_path", "path"
        )
    }

    # The glossary of each locale pair, loaded once: a file may hold pages of several source locales.
    glossaries = {}

    def terms_for(translation):
        pair = (translation.source.locale_id, locale.pk)
        if pair not in glossaries:
            glossaries[pair] = qa.glossary_terms(*pair)
        return glossaries[pair]

    seen = set()
    for unit in incoming:
        key = keys.get(unit.id)
        if key is None:
            continue
        reason, write = _check_unit(unit, key, locale, translations, segments, existing, seen, terms_for)
        if reason:
            translation = translations.get(key.translation_id)
            page = translation.source.object_repr if translation is not None else ""
            plan.rejections.append(Rejection(unit.id, reason, page, fields.get(key.context_id, "")))
        elif write == "kept":
            plan.kept += 1
        elif write == "unchanged":
            plan.unchanged += 1
        else:
            plan._writes.append(write)
            plan.changes.append(
                Change(
                    unit.id,
                    write["translation"].source.object_repr,
                    write["segment"].context.field_path or write["segment"].context.path,
                    write["old"],
                    write["new"],
                    needs_review=write["needs_review"],
                )
            )
    plan.held = _held_back(plan._writes)
    return plan


def _held_back(writes):
    """What the import leaves off the live snippets it saves: their fields holding a
    translation with an open check problem that no final text of the file replaces
    (``cms.translation.signals.hold_back_flagged_text`` does the holding)."""
    replaced = {
        (write["segment"].string_id, write["segment"].context_id) for write in writes if not write["needs_review"]
    }
    saved = {write["translation"].pk: write["translation"] for write in writes if not write["needs_review"]}
    held = []
    for translation in saved.values():
        if _has_drafts(translation):
            continue
        for flag in qa.open_flags(translation.source.object_id, translation.target_locale_id):
            row = flag.string_translation
            if (row.translation_of_id, row.context_id) not in replaced:
                held.append(Held(translation.source.object_repr, row.context.path, " ".join(flag.messages())))
    return held


def _comparable(html):
    """Source text as compared with the current source: entities decoded, whitespace ignored.

    Tools re-escape entities (``&amp;``) and re-indent XML in their own way; the unit id
    already pins the exact source string, so this only catches a source edited by hand.
    """
    return "".join(unescape(html).split())


def _check_unit(unit, key, locale, translations, segments, existing, seen, terms_for):
    """(reason to reject or None, what to write / "kept" / "unchanged").

    The text is checked with ``qa.check_segment``, as the translation editor and machine
    translation check it; ``terms_for(translation)`` gives the locale pair's glossary.
    """
    if unit.id in seen:
        return _("The unit appears twice in the file."), None
    seen.add(unit.id)
    translation = translations.get(key.translation_id)
    if translation is None:
        return _("Unknown unit: this site has no translation t%(id)d.") % {"id": key.translation_id}, None
    if translation.target_locale_id != locale.pk:
        return (
            _("The unit belongs to the %(other)s translation of “%(page)s”, not to %(locale)s.")
            % {
                "other": translation.target_locale.language_code,
                "page": translation.source.object_repr,
                "locale": locale.language_code,
            },
            None,
        )
    if not translation.enabled:
        return (
            _(
                "The translation of “%(page)s” into %(locale)s was stopped in the admin, so the page is edited "
                "directly there; its units cannot be imported."
            )
            % {"page": translation.source.object_repr, "locale": locale.language_code},
            None,
        )
    segment = segments.get((translation.source_id, key.context_id, key.string_id))
    if segment is None:
        return (
            _(
                "The unit does not match the current source of “%(page)s”: the text changed since the export. "
                "Export a fresh package."
            )
            % {"page": translation.source.object_repr},
            None,
        )
    source, target, problems = unit.texts(segment.string.data)
    if source and _comparable(source) != _comparable(segment.string.data):
        return _("The source text in the file differs from the current source text."), None
    if not target.strip():
        return None, "kept"
    if problems:
        return " ".join(problems), None
    if unit.needs_review and target == segment.previous_translation:
        return None, "kept"  # a stale unit's previous translation, sent back as it was exported
    current = existing.get((key.string_id, key.context_id))
    same = current is not None and current.data == target and not current.has_error
    # The same text is unchanged, unless a machine translation (or suggestion) comes back approved.
    if same and (unit.needs_review or not is_machine_translated(current.translation_type)):
        return None, "unchanged"
    model = translation.source.specific_content_type.model_class()
    info = describe_field(model, segment.context.field_path or segment.context.path)
    problems = qa.check_segment(segment.string.data, target, max_length=info.max_length, terms=terms_for(translation))
    if problems:
        return " ".join(problem.message for problem in problems), None
    return None, {
        "translation": translation,
        "segment": segment,
        "current": current,
        "old": current.data if current is not None else "",
        "new": target,
        "needs_review": unit.needs_review,
    }


def _save_target(translation, user, publish):
    """Update the translated page (or snippet) through wagtail-localize, inside the caller's transaction.

    - ``save_target(publish=True)`` publishes on commit, from the page instance it had in
      memory; several pages published that way at the end of one transaction overwrite
      each other's tree counters (``numchild``). So we save a draft and publish the
      latest revision ourselves, from a fresh instance, inside the transaction.
    - A draft never touches a live page's live content, revision or dates (``drafts.py``).
    - Snippets without drafts (e.g. devices) can only be saved, so they are always "published";
      a field holding a translation that failed a check keeps its live text (``Held``).
    - A page with an open check problem on another segment is not published (``_refuse_blocked``).

    Publishing checks the user's Wagtail publish permission (none is checked from the command line).
    """
    model = translation.source.specific_content_type.model_class()
    object_filter = {"translation_key": translation.source.object_id, "locale_id": translation.target_locale_id}
    try:
        if not _has_drafts(translation):
            translation.save_target(user=user, publish=True)
        elif publish:
            translation.save_target(user=user, publish=False)
            target = model._default_manager.get(**object_filter)
            _refuse_blocked(translation, target)
            target.latest_revision.publish(user=user)
        else:
            save_draft(translation, user=user)
    except ValidationError as exc:
        message = "; ".join(exc.messages)
        raise PackageRejected(
            _("“%(page)s” could not be saved with the new translations: %(error)s")
            % {"page": translation.source.object_repr, "error": message},
            [Rejection(f"t{translation.pk}", message)],
        ) from exc
    except SourceDeletedError as exc:
        message = _("The source of “%(page)s” was deleted; its translation cannot be updated.") % {
            "page": translation.source.object_repr
        }
        raise PackageRejected(message, [Rejection(f"t{translation.pk}", message)]) from exc
    except PermissionDenied as exc:
        message = _("You may not publish “%(page)s”; import without publishing to save drafts for review.") % {
            "page": translation.source.object_repr
        }
        raise PackageRejected(message, [Rejection(f"t{translation.pk}", message)]) from exc


def _refuse_blocked(translation, page):
    """Publishing stops at a page with an open check problem (``qa.publish_blockers``), as
    the admin's "Publish" and the review workflow's approval do; the caller rolls back."""
    flags = qa.publish_blockers(page)
    if flags:
        message = qa.blocked_message(page, flags)
        raise PackageRejected(message, [Rejection(f"t{translation.pk}", message, translation.source.object_repr)])


def _has_drafts(translation):
    return issubclass(translation.source.specific_content_type.model_class(), DraftStateMixin)


def _write(row_writes, locale, user, now):
    """Write StringTranslations: final ones as a person's, those marked for review as unreviewed suggestions."""
    for write in row_writes:
        row = write["current"] or StringTranslation(
            translation_of_id=write["segment"].string_id, context_id=write["segment"].context_id, locale=locale
        )
        row.data = write["new"]
        if write["needs_review"]:
            row.translation_type, row.tool_name = StringTranslation.TRANSLATION_TYPE_MACHINE, REVIEW_TOOL_NAME
        else:
            row.translation_type, row.tool_name = StringTranslation.TRANSLATION_TYPE_MANUAL, TOOL_NAME
        row.last_translated_by = user
        row.updated_at = now
        row.has_error = False
        row.field_error = ""
        row.save()


def apply_import(plan, user=None, publish=False):
    """Write a checked plan and update the translated pages, all in one transaction.

    Final translations are written first and their pages saved (published with
    ``publish``); then the units marked for review are written and their pages get a
    draft on top, so a suggestion never reaches a published version.

    Raises PackageRejected (and changes nothing) if the plan has any rejection or a
    translated page cannot be saved. Returns the Translations whose pages were updated.
    """
    if not plan.ok:
        raise PackageRejected(_("The file has rejected units; nothing was imported."), plan.rejections)
    updated = {}
    with transaction.atomic():
        now = timezone.now()
        for needs_review in (False, True):
            writes = [write for write in plan._writes if write["needs_review"] == needs_review]
            _write(writes, plan.locale, user, now)
            translations = {write["translation"].pk: write["translation"] for write in writes}
            if needs_review:
                # A snippet without drafts (e.g. a device) can only be saved live: its suggestions
                # wait in the translation editor until a person confirms them.
                translations = {pk: t for pk, t in translations.items() if _has_drafts(t)}
            for translation in translations.values():
                _save_target(translation, user=user, publish=publish and not needs_review)
            updated.update(translations)
    return list(updated.values())
