"""Recording an approval, finding the one in force, and voiding it when what it covers changes.

An approval covers one page in one market and the hash of exactly what the reviewer
saw (``hashing.content_hash``). A translation's approval also names the hash of the
source's approval it was translated from. Publishing checks the hash (``gate.py``).

Voids: an edit saved after the approval, a change to a Device the page shows, or a
new title of the page it sits under or links to. A voided approval is flagged “needs
re-review” in the admin and in the API (``meta.medical_review.status``); the page
keeps serving its approved revision, and a client asking ``?require=approved`` is
refused the pages whose live content no longer hashes to the approved value.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

from cms.review import audit, claims
from cms.review.hashing import content_hash
from cms.review.markets import market_of
from cms.review.models import AuditEvent, MedicalApproval, ReviewerProfile
from cms.translation import qa


class ApprovalRefused(PermissionDenied):
    """Why this approval cannot be given; ``str()`` is for the reviewer."""


def source_page_of(page):
    """The page a translation was made from, or ``None`` when ``page`` is itself the source."""
    from wagtail_localize.models import TranslationSource

    source = TranslationSource.objects.filter(object_id=page.translation_key).select_related("locale").first()
    if source is None or source.locale_id == page.locale_id:
        return None
    source_page = Page.objects.filter(translation_key=page.translation_key, locale_id=source.locale_id).first()
    return source_page.specific if source_page is not None else None


def in_force(page):
    """The approval of ``page``'s live revision (voided or not), or None. One query."""
    if not page.live_revision_id:
        return None
    return (
        MedicalApproval.objects.filter(page_id=page.pk, revision_id=page.live_revision_id)
        .select_related("market")
        .first()
    )


def live_content_approved(page):
    """True when ``page``'s live content is what its market's reviewer approved."""
    approval = in_force(page)
    return approval is not None and approval.void_reason in ("", MedicalApproval.Void.EDITED)


def refusal(user, page):
    """Why ``user`` may not approve ``page`` (a message), or None when they may.

    Approving publishes, so a translation with a segment that failed a translation check
    (``qa.publish_blockers``) waits until the text is fixed or someone who may publish
    accepts it with a reason, as the admin's "Publish" does.
    """
    market = market_of(page)
    if market is None:
        return _("No market reviews pages in %(locale)s.") % {"locale": page.locale.language_code}
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None:
        return _("You have no reviewer profile (name, qualification, registration number).")
    if not profile.markets.filter(pk=market.pk).exists():
        return _("You are not a reviewer for %(market)s.") % {"market": market.code}
    flags = qa.publish_blockers(page)
    if flags:
        return qa.blocked_message(page, flags)
    return None


def source_hash_for(page):
    """The hash of the source's approval a translation is bound to ("" for a source page).

    Raises ApprovalRefused when the source's live content is not approved.
    """
    source = source_page_of(page)
    if source is None:
        return ""
    approval = in_force(source)
    if approval is None or approval.needs_re_review and approval.void_reason != MedicalApproval.Void.EDITED:
        raise ApprovalRefused(
            _("“%(title)s” in %(locale)s, which this page translates, is not approved: approve it first.")
            % {"title": source.title, "locale": source.locale.language_code}
        )
    return approval.content_hash


@transaction.atomic
def approve(page, user, *, comment=""):
    """Approve ``page``'s latest draft for its market; returns ``(approval, revision)``.

    Saves a revision stamped with the reviewer's name, qualification and the date (the
    revision that goes live) and records the approval against it.
    """
    # Read from the database: what is approved is what was saved, not an object in memory.
    page = Page.objects.select_related("locale").get(pk=page.pk).specific
    problem = refusal(user, page)
    if problem:
        raise ApprovalRefused(problem)
    draft = page.get_latest_revision_as_object()
    broken = claims.violations(draft)
    if broken:
        raise ApprovalRefused(
            _("This page breaks claims rules, so it cannot be approved: %(rules)s")
            % {"rules": "; ".join(str(violation) for violation in broken)}
        )
    profile = ReviewerProfile.objects.get(user=user)
    market = market_of(page)
    source_hash = source_hash_for(page)
    digest = content_hash(draft)
    field = draft._meta.get_field("reviewed_by")
    draft.reviewed_by = f"{profile.full_name}, {profile.qualification}"[: field.max_length]
    draft.last_reviewed_on = timezone.localdate()
    revision = draft.save_revision(user=user, clean=False)
    approval = MedicalApproval.objects.create(
        page=page,
        market=market,
        revision=revision,
        content_hash=digest,
        source_hash=source_hash,
        reviewer=user,
        reviewer_name=profile.full_name,
        qualification=profile.qualification,
        registration_number=profile.registration_number,
        approved_at=timezone.now(),
    )
    audit.append(
        AuditEvent.APPROVED,
        page,
        market=market.code,
        user=user,
        revision_id=revision.pk,
        content_hash=digest,
        source_hash=source_hash,
        reviewer=profile.full_name,
        qualification=profile.qualification,
        registration=profile.registration_number,
        comment=comment,
    )
    return approval, revision


def approval_for_publishing(page, revision):
    """The approval that lets ``revision`` of ``page`` go live, or None.

    Its hash must be the hash of the revision's content as it would be served now, and
    a translation's approval must name the hash of its source's approval in force.
    """
    candidates = list(MedicalApproval.objects.filter(page_id=page.pk).standing().select_related("market"))
    if not candidates:
        return None
    digest = content_hash(revision.as_object())
    matching = [approval for approval in candidates if approval.content_hash == digest]
    if not matching:
        return None
    source = source_page_of(page)
    if source is None:
        return matching[0]
    source_approval = in_force(source)
    current = source_approval.content_hash if source_approval else None
    return next((approval for approval in matching if approval.source_hash == current), None)


# --- Voids ----------------------------------------------------------------------------------


def void(approval, reason, page, *, content_hash_now=""):
    """Mark ``approval`` as needing re-review, log it, and drop the cached answers showing it."""
    from cms.api import invalidation, tags

    approval.voided_at = timezone.now()
    approval.void_reason = reason
    approval.save(update_fields=["voided_at", "void_reason"])
    audit.append(
        AuditEvent.VOIDED,
        page,
        market=approval.market.code,
        revision_id=approval.revision_id,
        content_hash=approval.content_hash,
        reason=reason,
        hash_now=content_hash_now,
    )
    # meta.medical_review and ?require=approved answers of this page change.
    invalidation.record([tags.page(page.pk)])


def void_if_changed(page, reason, *, content=None):
    """Void ``page``'s unvoided approvals whose hash no longer matches ``content`` (default: live)."""
    approvals = list(MedicalApproval.objects.filter(page_id=page.pk, void_reason="").select_related("market"))
    if not approvals:
        return []
    digest = content_hash(content if content is not None else page)
    voided = [approval for approval in approvals if approval.content_hash != digest]
    for approval in voided:
        void(approval, reason, page, content_hash_now=digest)
    return voided


def pages_referring_to(objects):
    """Live pages whose content refers to any of ``objects`` (Wagtail's reference index)."""
    references = ReferenceIndex.get_references_to_in_bulk(list(objects)).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    ids = {int(object_id) for object_id in references.values_list("object_id", flat=True)}
    return Page.objects.filter(pk__in=ids, live=True)


def approved_pages(queryset):
    """The specific pages of ``queryset`` that have an approval not yet voided."""
    ids = set(MedicalApproval.objects.filter(page__in=queryset, void_reason="").values_list("page_id", flat=True))
    return [page.specific for page in Page.objects.filter(pk__in=ids).select_related("locale")]
