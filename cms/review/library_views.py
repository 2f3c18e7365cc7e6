"""The admin's “Mark as reviewed” screen of a clinic page flagged “library changed” (``library.py``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cms.api.clinics import shown_library_copy
from pages.models import ClinicPage
from pages.models.clinic import field_label

from . import library


def changed_fields(page):
    """The labels of the fields a clinic page changes, as editors read them."""
    return ", ".join(str(field_label(name)) for name in page.overridden())


def library_changed_message(page, shown):
    return _(
        "Library changed: “%(library)s” was published on %(date)s, after this page was last checked. "
        "Make sure this clinic's own details (%(fields)s) still fit it, then save this page or mark it as reviewed."
    ) % {
        "library": shown.title,
        "date": formats.date_format(shown.last_published_at, "DATETIME_FORMAT"),
        "fields": changed_fields(page),
    }


def mark_reviewed(request, page_id):
    """GET asks to confirm; POST records the check and goes back to the page's edit screen."""
    page = get_object_or_404(ClinicPage.objects.select_related("locale"), pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        library.mark_reviewed(page, user=request.user)
        done = _("“%(title)s” was marked as reviewed against its library page.") % {"title": page.title}
        messages.success(request, done)
        return redirect("wagtailadmin_pages:edit", page.pk)
    shown = shown_library_copy(page)
    return TemplateResponse(
        request,
        "review/library_reviewed.html",
        {
            "page": page,
            "shown": shown,
            "fields": changed_fields(page),
            "header_title": _("Mark “%(title)s” as reviewed") % {"title": page.title},
        },
    )
