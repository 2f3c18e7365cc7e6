"""Admin hooks of the review workflow."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page


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

    from cms.review.views import share_preview

    return [path("review/share-preview/<int:page_id>/", share_preview, name="review_share_preview")]


@hooks.register("register_page_header_buttons")
def share_preview_button(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from cms.review.views import user_may_preview

    if getattr(page.specific_class, "public_fields", None) is not None and user_may_preview(user, page):
        yield ListingButton(
            _("Share preview"), reverse("review_share_preview", args=[page.pk]), priority=70, icon_name="view"
        )
