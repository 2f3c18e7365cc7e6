"""Claims rules per market: what a medical page may not say (or show) in that market.

Each rule is a regular expression matched, case-insensitively, against the page's
public text in its own language, and names the regulation it comes from, so the
editor's message says which rule and which words. Kinds:

- forbidden phrase: never allowed (e.g. “painless”, “guaranteed”);
- prescription-only medicine: names that may not be advertised to the public (UK);
- before/after image: an image whose description or title matches (Germany, HWG);
- needs citation: a claim allowed only when the page lists a source.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .signoff import Market


class ClaimRule(models.Model):
    class Kind(models.TextChoices):
        FORBIDDEN = "forbidden", _("forbidden phrase")
        PRESCRIPTION = "prescription_medicine", _("prescription-only medicine")
        BEFORE_AFTER = "before_after_image", _("before/after image")
        NEEDS_CITATION = "needs_citation", _("claim that needs a source")

    market = models.ForeignKey(Market, verbose_name=_("market"), on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. “No promise of painlessness”"))
    pattern = models.CharField(
        _("pattern"),
        max_length=500,
        help_text=_(
            "A regular expression matched against the page's text, ignoring case, e.g. "
            "\\bpain(less| free)\\b. For images, matched against their description and title."
        ),
    )
    source = models.CharField(
        _("rule it comes from"), max_length=200, help_text=_("e.g. “CAP Code 12.1” or “HWG § 11 (1) 5”")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("claims rule")
        verbose_name_plural = _("claims rules")
        ordering = ["market__code", "kind", "name"]

    def __str__(self):
        return f"{self.market}: {self.name}"

    def save(self, *args, **kwargs):
        # Refused on save from code too: a broken pattern would stop every later check.
        self.clean()
        super().save(*args, **kwargs)

    def compiled(self):
        return re.compile(self.pattern, re.IGNORECASE)

    def clean(self):
        super().clean()
        try:
            self.compiled()
        except re.error as exc:
            raise ValidationError(
                {"pattern": _("This pattern is not a valid regular expression: %(error)s.") % {"error": exc}}
            ) from exc
