"""What the translation app stores beside wagtail-localize's own rows.

- ``QAFlag``: a translation in use that failed a check (``cms.translation.qa``); it holds
  back publishing of its page in that locale until fixed or overridden by a reviewer.
- ``MemoryEntry``: one human translation, remembered per locale pair across pages and
  page types (``cms.translation.memory``).
- ``GlossaryTerm``: a termbase entry per locale pair (``cms.translation.glossary``).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation


def text_digest(text):
    """A fixed-size key for a text of any length (indexes cannot hold long texts)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class QAFlag(models.Model):
    """The problems of one stored translation, and a reviewer's override if any."""

    string_translation = models.OneToOneField(StringTranslation, on_delete=models.CASCADE, related_name="qa_flag")
    problems = models.JSONField(default=list)  # [{"check": "numbers", "message": "..."}]
    flagged_at = models.DateTimeField(auto_now=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("translation check problem")

    def __str__(self):
        return "; ".join(self.messages())

    @property
    def is_open(self):
        return self.overridden_at is None

    def messages(self):
        return [problem["message"] for problem in self.problems]


class LocalePairQuerySet(models.QuerySet):
    def for_pair(self, source_locale, target_locale):
        return self.filter(source_locale=source_locale, target_locale=target_locale)


class MemoryEntry(models.Model):
    """A source text and its human translation, with the kind of field it came from."""

    source_locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    target_locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    field_kind = models.CharField(max_length=255, blank=True)  # e.g. "summary", "steps.step.title"
    source_text = models.TextField()
    source_digest = models.CharField(max_length=64, editable=False)
    target_text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation memory entry")
        verbose_name_plural = _("translation memory")
        constraints = [
            models.UniqueConstraint(
                fields=["source_locale", "target_locale", "field_kind", "source_digest"], name="memory_entry_unique"
            )
        ]

    def __str__(self):
        return f"{self.source_text[:60]} → {self.target_text[:60]}"

    def save(self, *args, **kwargs):
        self.source_digest = text_digest(self.source_text)
        super().save(*args, **kwargs)


class GlossaryTerm(models.Model):
    """A term and how it must be translated into one locale."""

    source_locale = models.ForeignKey(
        Locale, on_delete=models.CASCADE, related_name="+", verbose_name=_("source locale")
    )
    target_locale = models.ForeignKey(
        Locale, on_delete=models.CASCADE, related_name="+", verbose_name=_("target locale")
    )
    source_term = models.CharField(_("term"), max_length=200)
    target_term = models.CharField(_("translation"), max_length=200)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = LocalePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["source_locale__language_code", "target_locale__language_code", "source_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_locale", "target_locale", "source_term"], name="glossary_term_unique"
            )
        ]

    def __str__(self):
        return f"{self.source_term} → {self.target_term}"

    def clean(self):
        if self.source_locale_id and self.source_locale_id == self.target_locale_id:
            raise ValidationError({"target_locale": _("Choose a locale other than the source locale.")})
