"""Import a translator's package: read, check every unit, then apply all or nothing.

``plan_import`` never writes: it reads the file, matches every unit to a current
segment and runs the checks, giving an ImportPlan (the dry run: a diff of the changes
and the rejected units with reasons). ``apply_import`` refuses a plan with any
rejection; otherwise it writes the StringTranslations and updates the translated pages
through wagtail-localize (``Translation.save_target``), all in one transaction, so the
admin's translation editor shows the new strings at once and a failure leaves nothing
half-done.
"""

import codecs
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin, Locale, Page
from wagtail_localize.models import SourceDeletedError, StringSegment, StringTranslation, Translation

from .checks import check_translation
from .fields import describe_field
from .po import read_po
from .units import UnitKey
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


@dataclass(frozen=True)
class Rejection:
    unit_id: str
    reason: str


@dataclass
class ImportPlan:
    """What an import would do: the dry run's diff, and why units were rejected."""

    format: str
    locale: Locale
    changes: list = field(default_factory=list)
    rejections: list = field(default_factory=list)
    kept: int = 0  # blank entries: the existing translation stays
    unchanged: int = 0
    # Internal: what apply_import writes.
    _writes: list = field(default_factory=list, repr=False)

    @property
    def ok(self):
        return not self.rejections


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


def plan_import(data, expected_locale=None, size=None):
    """Check a package without writing anything; returns an ImportPlan.

    Args:
        data: the file's bytes.
        expected_locale: a locale code the uploader said the file is for; a file for
            another locale is rejected as a whole.
        size: the whole file's size, when ``data`` stops just past the limit.
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
    translations = {
        t.pk: t
        for t in Translation.objects.filter(pk__in=translation_ids).select_related(
            "source", "target_locale", "source__specific_content_type"
        )
    }
    segments = {
        (segment.source_id, segment.context_id, segment.string_id): segment
        for segment in StringSegment.objects.filter(
            source_id__in={t.source_id for t in translations.values()},
            context_id__in={key.context_id for key in keys.values()},
        ).select_related("string", "context")
    }
    existing = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(
            locale=locale, context_id__in={key.context_id for key in keys.values()}
        )
    }

    seen = set()
    for unit in incoming:
        key = keys.get(unit.id)
        if key is None:
            continue
        reason, write = _check_unit(unit, key, locale, translations, segments, existing, seen)
        if reason:
            plan.rejections.append(Rejection(unit.id, reason))
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
                    unit.target,
                )
            )
    return plan


def _check_unit(unit, key, locale, translations, segments, existing, seen):
    """(reason to reject or None, what to write / "kept" / "unchanged")."""
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
    # Compare with whitespace folded: some CAT tools reflow the source they were given.
    if unit.source and unit.source.split() != segment.string.data.split():
        return _("The source text in the file differs from the current source text."), None
    if not unit.target.strip():
        return None, "kept"
    current = existing.get((key.string_id, key.context_id))
    if current is not None and current.data == unit.target and not current.has_error:
        return None, "unchanged"
    model = translation.source.specific_content_type.model_class()
    info = describe_field(model, segment.context.field_path or segment.context.path)
    problems = check_translation(segment.string.data, unit.target, info.max_length)
    if problems:
        return " ".join(problems), None
    return None, {
        "translation": translation,
        "segment": segment,
        "current": current,
        "old": current.data if current is not None else "",
        "new": unit.target,
    }


def _save_target(translation, user, publish):
    """Update the translated page (or snippet) through wagtail-localize, inside the caller's transaction.

    Three things wagtail-localize does not do the way an all-or-nothing import needs:

    - ``save_target(publish=True)`` publishes on commit, from the page instance it had in
      memory; several pages published that way at the end of one transaction overwrite
      each other's tree counters (``numchild``). So we save a draft and publish the
      latest revision ourselves, from a fresh instance, inside the transaction.
    - ``save_target(publish=False)`` also writes the draft into the page row, which is
      what visitors and the API read. For a live page we put the live revision's content
      back into the row, so the draft stays a draft.
    - Snippets without drafts (e.g. devices) can only be saved, so they are always "published".

    Publishing checks the user's Wagtail publish permission (none is checked from the command line).
    """
    model = translation.source.specific_content_type.model_class()
    object_filter = {"translation_key": translation.source.object_id, "locale_id": translation.target_locale_id}
    try:
        if not issubclass(model, DraftStateMixin):
            translation.save_target(user=user, publish=True)
            return
        live_page = None
        if not publish and issubclass(model, Page):
            live_page = Page.objects.filter(live=True, **object_filter).exclude(live_revision=None).first()
        translation.save_target(user=user, publish=False)
        if publish:
            target = model._default_manager.get(**object_filter)
            target.latest_revision.publish(user=user)
        elif live_page is not None:
            live_page.refresh_from_db()
            live_page.live_revision.as_object().save(clean=False)
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


def apply_import(plan, user=None, publish=False):
    """Write a checked plan and update the translated pages, all in one transaction.

    Raises PackageRejected (and changes nothing) if the plan has any rejection or a
    translated page cannot be saved. Returns the Translations whose pages were updated.
    """
    if not plan.ok:
        raise PackageRejected(_("The file has rejected units; nothing was imported."), plan.rejections)
    updated = {}
    with transaction.atomic():
        now = timezone.now()
        for write in plan._writes:
            row = write["current"] or StringTranslation(
                translation_of_id=write["segment"].string_id,
                context_id=write["segment"].context_id,
                locale=plan.locale,
            )
            row.data = write["new"]
            row.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
            row.tool_name = TOOL_NAME
            row.last_translated_by = user
            row.updated_at = now
            row.has_error = False
            row.field_error = ""
            row.save()
            updated[write["translation"].pk] = write["translation"]
        for translation in updated.values():
            _save_target(translation, user=user, publish=publish)
    return list(updated.values())
