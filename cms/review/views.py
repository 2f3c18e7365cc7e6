"""The admin's “Share preview” screen: a signed, expiring link to a page's draft."""

import datetime
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.review.models import FrontendPreviewSettings
from cms.review.signing import make_preview_token


def user_may_preview(user, page):
    """Editors of the page, and reviewers of the task it is waiting on."""
    if page.permissions_for_user(user).can_edit():
        return True
    task = page.current_workflow_task
    return bool(task and task.user_can_access_editor(page, user))


def share_preview(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not user_may_preview(request.user, page):
        raise PermissionDenied
    site = page.get_site() or Site.objects.get(is_default_site=True)
    preview_settings = FrontendPreviewSettings.for_site(site)
    token = make_preview_token(page, lifetime_hours=preview_settings.link_lifetime_hours)
    try:
        api_url = request.build_absolute_uri(reverse("api:preview", args=[token]))
    except NoReverseMatch:  # the delivery API is not mounted (e.g. an admin-only deployment)
        api_url = ""
    frontend_url = preview_settings.preview_url.replace("{token}", quote(token, safe=""))
    return TemplateResponse(
        request,
        "review/share_preview.html",
        {
            "page": page,
            "header_title": _("Share a preview of “%(title)s”") % {"title": page.get_admin_display_title()},
            "token": token,
            "api_url": api_url,
            "frontend_url": frontend_url,
            "expires_at": timezone.now() + datetime.timedelta(hours=preview_settings.link_lifetime_hours),
            "settings_url": reverse("wagtailsettings:edit", args=["cms_review", "frontendpreviewsettings", site.pk]),
        },
    )
