"""Admin hooks of the review workflow."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from pages.hooks import BEFORE_PUBLISH


@hooks.register(BEFORE_PUBLISH)
def medical_review_gate(page, revision, user):
    """Every publish of a content page from code passes the medical review gate."""
    from cms.review.gate import check_publish

    check_publish(page, revision, user)


@hooks.register("before_publish_page")
def hold_back_unreviewed_pages(request, page):
    """Stop a direct publish that would skip medical review (e.g. “Publish” on a new page).

    The page stays saved as a draft; the editor is told to submit it for review.
    """
    if page.permissions_for_user(request.user).can_publish():
        return None
    if page.live_revision_id is None:
        # The create view adds a page it is about to publish as live; it never was.
        Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
    messages.error(
        request,
        _(
            "“%(title)s” was saved as a draft. It goes live only after a medical reviewer "
            "approves it: submit it for review."
        )
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("register_admin_urls")
def review_admin_urls():
    from django.urls import path

    from cms.review.library_views import mark_reviewed
    from cms.review.signoff_views import approve_from_trail, audit_trail, publish_without_review, submit_for_review
    from cms.review.views import share_preview

    return [
        path("review/library-reviewed/<int:page_id>/", mark_reviewed, name="review_library_reviewed"),
        path("review/share-preview/<int:page_id>/", share_preview, name="review_share_preview"),
        path("review/trail/<int:page_id>/", audit_trail, name="review_audit_trail"),
        path("review/publish-without-review/<int:page_id>/", publish_without_review, name="review_bypass"),
        path("review/submit/<int:page_id>/", submit_for_review, name="review_submit"),
        path("review/approve/<int:page_id>/", approve_from_trail, name="review_approve"),
    ]


@hooks.register("register_page_header_buttons")
def share_preview_button(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from cms.review.views import user_may_preview

    if getattr(page.specific_class, "public_fields", None) is not None and user_may_preview(user, page):
        yield ListingButton(
            _("Share preview"), reverse("review_share_preview", args=[page.pk]), priority=70, icon_name="view"
        )


@hooks.register("register_page_header_buttons")
def signoff_buttons(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import ListingButton

    if not getattr(page.specific_class, "requires_medical_review", False):
        return
    yield ListingButton(
        _("Sign-off trail"), reverse("review_audit_trail", args=[page.pk]), priority=80, icon_name="history"
    )
    if user.is_superuser:
        from cms.review.gate import is_gated

        if is_gated(page):
            yield ListingButton(
                _("Publish without review"), reverse("review_bypass", args=[page.pk]), priority=90, icon_name="warning"
            )


@hooks.register("before_edit_page")
def flag_needs_re_review(request, page):
    """The editor sees at once that the live content's approval was voided, and why."""
    if request.method != "GET" or not getattr(page.specific_class, "requires_medical_review", False):
        return
    from cms.review.approvals import in_force

    approval = in_force(page)
    if approval is not None and approval.needs_re_review:
        messages.warning(
            request,
            _("Needs re-review: %(reason)s. The approved version stays live until a reviewer approves again.")
            % {"reason": approval.get_void_reason_display()},
        )


@hooks.register("before_edit_page")
def flag_library_changed(request, page):
    """A clinic page's editor sees at once that the library page it shows was published since."""
    if request.method != "GET" or not getattr(page.specific_class, "serves_library_type", False):
        return
    from wagtail.admin import messages as admin_messages

    from cms.api.clinics import shown_library_copy
    from cms.review import library
    from cms.review.library_views import library_changed_message

    page = page.specific
    shown = shown_library_copy(page)
    if shown is not None and library.library_changed(page, shown):
        admin_messages.warning(
            request,
            library_changed_message(page, shown),
            buttons=[admin_messages.button(reverse("review_library_reviewed", args=[page.pk]), _("Mark as reviewed"))],
        )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def check_claims_on_save(request, page):
    """Claims rules are checked on every save; the reviewer cannot approve until they pass."""
    if not getattr(page.specific_class, "requires_medical_review", False):
        return
    from cms.review.claims import violations

    for violation in violations(page.get_latest_revision_as_object()):
        messages.warning(request, str(violation))


@hooks.register("register_admin_viewset")
def signoff_viewsets():
    from cms.review.admin import signoff_viewset_group

    return signoff_viewset_group


@hooks.register("register_admin_viewset")
def review_page_viewsets():
    """Each page type's views, with a workflow “Approve” that says why it is refused."""
    from cms.review.workflow_action import reviewed_page_models, viewset_for

    return [viewset_for(model) for model in reviewed_page_models()]
