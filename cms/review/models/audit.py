"""The audit trail of medical sign-off: append-only, each record chained to the one before.

Every submission, approval, rejection, bypass, publish and void is one
:class:`AuditRecord`. A record's hash covers its own fields and the previous record's
hash, so changing or deleting a row breaks the chain where it happened
(``manage.py verify_audit``). Records are only ever added (:func:`cms.review.audit.append`);
the model refuses updates and deletes from code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("changes requested")
    BYPASSED = "bypassed", _("published without review")
    PUBLISHED = "published", _("published")
    VOIDED = "voided", _("approval voided")


class AppendOnly(Exception):
    """Raised on an attempt to change or delete an audit record."""


class AuditRecord(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    event = models.CharField(max_length=20, choices=AuditEvent.choices)
    page_id = models.BigIntegerField(null=True)  # no foreign key: the trail outlives the page
    page_key = models.CharField(max_length=36, db_index=True)
    page_title = models.CharField(max_length=255)
    market = models.CharField(max_length=20, blank=True, db_index=True)
    actor = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    revision_id = models.BigIntegerField(null=True)
    content_hash = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit record")
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.event} {self.page_title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit records are never deleted.")


class AuditChainHead(models.Model):
    """One row holding the chain's last sequence number and hash; locked while a record is added,
    so two processes never chain onto the same record."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"audit chain at #{self.seq}"
