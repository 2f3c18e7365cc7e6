"""Adding to the audit trail, checking its chain, and reading it for export.

``append`` locks the chain head, so concurrent writers (two web workers, a cron job)
take turns and each record names the one before it. ``verify`` recomputes every hash:
a changed row no longer matches its hash, a deleted row leaves a gap in the sequence
and a next record whose ``previous_hash`` names a record that is not there.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from cms.review.hashing import canonical_json
from cms.review.models import AuditChainHead, AuditRecord

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "event",
    "page_id",
    "page_key",
    "page_title",
    "market",
    "actor",
    "at",
    "revision_id",
    "content_hash",
    "details",
    "previous_hash",
)


def record_hash(record):
    data = {name: getattr(record, name) for name in HASHED_FIELDS}
    data["at"] = record.at.astimezone(UTC).isoformat()
    return hashlib.sha256(canonical_json(data)).hexdigest()


def actor_name(user):
    if user is None:
        return ""
    return user.get_username()


@transaction.atomic
def append(event, page, *, market="", user=None, revision_id=None, content_hash="", **details):
    """Add one record about ``page`` to the trail, in the current transaction."""
    head, _created = AuditChainHead.objects.get_or_create(pk=1)
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    record = AuditRecord(
        seq=head.seq + 1,
        event=event,
        page_id=page.pk,
        page_key=str(page.translation_key),
        page_title=page.title[:255],
        market=str(market or ""),
        actor=actor_name(user),
        at=timezone.now(),
        revision_id=revision_id,
        content_hash=content_hash or "",
        details=details,
        previous_hash=head.last_hash,
    )
    record.record_hash = record_hash(record)
    record.save()
    head.seq, head.last_hash = record.seq, record.record_hash
    head.save(update_fields=["seq", "last_hash"])
    return record


@dataclass
class Problem:
    seq: int
    message: str


def verify():
    """Every break in the chain, as :class:`Problem` (empty when the trail is intact)."""
    problems = []
    previous_hash, expected_seq = GENESIS, 1
    for record in AuditRecord.objects.order_by("seq").iterator():
        if record.seq != expected_seq:
            problems.append(Problem(record.seq, f"records {expected_seq} to {record.seq - 1} are missing"))
        if record.previous_hash != previous_hash:
            problems.append(Problem(record.seq, "does not follow the record before it (one was changed or deleted)"))
        if record_hash(record) != record.record_hash:
            problems.append(Problem(record.seq, "was changed after it was written (its hash no longer matches)"))
        previous_hash, expected_seq = record.record_hash, record.seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq != expected_seq - 1:
        problems.append(
            Problem(head.seq, f"the trail ends at record {expected_seq - 1}; records after it were deleted")
        )
    return problems


EXPORT_FIELDS = (
    "seq",
    "at",
    "event",
    "page_key",
    "page_id",
    "page_title",
    "market",
    "actor",
    "revision_id",
    "content_hash",
    "details",
    "previous_hash",
    "record_hash",
)


def trail(*, page_key=None, market=None):
    records = AuditRecord.objects.order_by("seq")
    if page_key:
        records = records.filter(page_key=str(page_key))
    if market:
        records = records.filter(market=market)
    return records


def as_row(record):
    row = {name: getattr(record, name) for name in EXPORT_FIELDS}
    row["at"] = record.at.astimezone(UTC).isoformat()
    return row
