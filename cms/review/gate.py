"""The one rule every publish of a medical page passes: approved content, or a logged bypass.

``check_publish`` runs before any publish of a content page: from the admin (the
``before_publish_page`` hook, through the permission tester), and from code, such as
``publish_scheduled``, translation imports and wagtail-localize, through
``ContentPage.publish`` and the ``pages.hooks.BEFORE_PUBLISH`` hook it calls.

A page is gated when it needs medical review (every clinic content page does) and
sits under the “Medical review” workflow (``ensure_review_workflow`` puts every
locale's home page under it). It goes live only when its content hashes to a standing
approval for its market. A superuser may publish without review inside
:func:`bypass`, giving a reason; every bypass is written to the audit trail.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cms.review import audit
from cms.review.markets import market_of
from cms.review.models import AuditEvent, MedicalReviewTask

_bypass = ContextVar("medical_review_bypass", default=None)


class ReviewRequired(PermissionDenied):
    """A publish that no approval covers; ``str()`` says what to do."""


def is_gated(page):
    """True when ``page`` goes live only through medical review."""
    if not getattr(page.specific_class, "requires_medical_review", False):
        return False
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        return False
    return MedicalReviewTask.objects.filter(workflow_tasks__workflow=workflow, active=True).exists()


@contextmanager
def bypass(user, reason):
    """Publish medical pages without review inside this block: superusers only, with a reason."""
    reason = (reason or "").strip()
    if user is None or not user.is_superuser:
        raise PermissionDenied(_("Only a superuser may publish without medical review."))
    if not reason:
        raise ValueError(_("Say why this page must go live without medical review."))
    token = _bypass.set((user, reason))
    try:
        yield
    finally:
        _bypass.reset(token)


def bypassing(user):
    """True inside :func:`bypass` opened by ``user``."""
    granted = _bypass.get()
    return granted is not None and user is not None and granted[0].pk == user.pk


def check_publish(page, revision, user=None):
    """Raise ReviewRequired unless ``revision`` of ``page`` may go live."""
    from cms.review.approvals import approval_for_publishing

    if not is_gated(page):
        return
    granted = _bypass.get()
    if granted is not None:
        market = market_of(page)
        audit.append(
            AuditEvent.BYPASSED,
            page,
            market=market.code if market else "",
            user=granted[0],
            revision_id=revision.pk,
            reason=granted[1],
        )
        return
    if approval_for_publishing(page, revision) is None:
        raise ReviewRequired(
            _(
                "“%(title)s” goes live only with a medical reviewer's approval of exactly this content "
                "for its market: submit it for review."
            )
            % {"title": page.title}
        )
