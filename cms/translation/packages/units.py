"""Translation units: one translatable string of one page (or snippet) for one locale.

A unit is a wagtail-localize StringSegment seen from a Translation (source + target
locale). Its id names the three wagtail-localize rows it stands for, e.g.
``t12.c345.s678`` = Translation 12, TranslationContext 345 (the field), String 678
(the source text). An import matches a unit back to a current segment with exactly
those ids, so a unit exported before the source text changed is recognised as out of
date instead of overwriting the new text's translation.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# tool_name of a translation imported from a package that marked it for review (PO fuzzy, XLIFF
# needs-review states): stored as wagtail-localize's "machine" kind, i.e. not yet reviewed by a person.
REVIEW_TOOL_NAME = "translation package (needs review)"
UNIT_ID = re.compile(r"^t(?P<translation>\d+)\.c(?P<context>\d+)\.s(?P<string>\d+)$")


@dataclass(frozen=True)
class UnitKey:
    """The wagtail-localize rows a unit id points at."""

    translation_id: int
    context_id: int
    string_id: int

    def __str__(self):
        return f"t{self.translation_id}.c{self.context_id}.s{self.string_id}"

    @classmethod
    def parse(cls, unit_id):
        match = UNIT_ID.match(unit_id or "")
        if not match:
            raise ValidationError(
                _("“%(id)s” is not a unit id from a translation package (expected e.g. t12.c345.s678).")
                % {"id": unit_id}
            )
        return cls(int(match["translation"]), int(match["context"]), int(match["string"]))


@dataclass
class Unit:
    """One unit as exported: source, current translation and the context a translator needs."""

    key: UnitKey
    source: str
    target: str
    page_title: str
    field_path: str
    field_label: str
    block_type: str | None = None
    max_length: int | None = None
    preview_url: str = ""
    page_url: str = ""
    previous_translation: str | None = None
    previous_source: str | None = None
    machine_tool: str | None = None
    error: bool = False
    # Translation memory, for a unit without a translation: a 100% match (same text, same
    # kind of field) offered as the target to review, and fuzzy ``memory.Match``es, best first.
    memory_target: str | None = None
    memory_matches: tuple = ()

    @property
    def id(self):
        return str(self.key)

    @property
    def is_stale(self):
        return self.previous_translation is not None and not self.target

    @property
    def from_memory(self):
        return bool(self.memory_target) and not self.target and not self.is_stale

    @property
    def shown_target(self):
        """The target a CAT tool gets: the translation, a stale unit's previous one or a 100%
        memory match (both marked for review)."""
        if self.is_stale:
            return self.previous_translation
        return self.memory_target if self.from_memory else self.target

    @property
    def review_reason(self):
        """Why the shown target needs review ("stale", "memory", "error", "review", "machine"),
        or None when a person made it."""
        if self.is_stale:
            return "stale"
        if self.from_memory:
            return "memory"
        if not self.target:
            return None
        if self.error:
            return "error"
        if self.machine_tool == REVIEW_TOOL_NAME:
            return "review"
        return "machine" if self.machine_tool is not None else None

    def notes(self):
        """(category, text) pairs, in the order translators read them."""
        field = self.field_path
        if self.field_label.lower() != field.lower():
            field = f"{field} ({self.field_label})"
        notes = [("page", self.page_title), ("field", field)]
        if self.block_type:
            notes.append(("block-type", self.block_type))
        if self.max_length:
            notes.append(("max-length", _("At most %(count)d characters.") % {"count": self.max_length}))
        if self.preview_url:
            notes.append(("preview", self.preview_url))
        if self.page_url:
            notes.append(("page-url", self.page_url))
        if self.is_stale:
            notes.append(
                (
                    "stale",
                    _("Stale: the source text changed since this was translated. Previous translation: %(text)s")
                    % {"text": self.previous_translation},
                )
            )
        if self.from_memory:
            notes.append(
                (
                    "memory",
                    _("An exact match from the translation memory (same text, same kind of field): please review."),
                )
            )
        if self.machine_tool == REVIEW_TOOL_NAME:
            notes.append(("review", _("Imported from a translation package marked for review: please review.")))
        elif self.machine_tool is not None:
            notes.append(
                ("machine", _("Machine-translated (%(tool)s): please review.") % {"tool": self.machine_tool or "?"})
            )
        if self.error:
            notes.append(("error", _("The current translation has an error and is not used on the page.")))
        return notes


@dataclass
class Package:
    """The units of one locale, as exported or as read back from a file."""

    source_locale: str
    target_locale: str
    units: list = field(default_factory=list)
    # Translations (id -> title) the units belong to; writers group units per page with it.
    titles: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IncomingUnit:
    """One unit read from an uploaded file: its id, the source it claims and the new text.

    PO files carry HTML as wagtail-localize stores it (``source``/``target``). XLIFF carries
    text with inline codes, which only the current source can turn back into HTML, so
    ``read`` (a callable taking the current source HTML and giving ``(source, target,
    problems)``) is set instead. ``needs_review`` is the file's own state: PO ``fuzzy``,
    XLIFF 1.2 ``needs-*``/``approved="no"``, XLIFF 2.0 ``initial``.
    """

    id: str
    source: str = ""
    target: str = ""
    needs_review: bool = False
    read: object = None

    def texts(self, current_source):
        """(source HTML, target HTML, problems with the unit's inline codes)."""
        if self.read is None:
            return self.source, self.target, []
        return self.read(current_source)
