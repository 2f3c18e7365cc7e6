"""Admin hooks that keep a clinic's staff out of other clinics (``clinic_scope``).

Wagtail's page rights already limit the explorer and page search; its choosers list
every page, and its image and document choosers follow collection rights alone. Here
a clinic's staff choose among their clinics' pages and the library's (a clinic page
shows a library page), and among images and documents outside other clinics'
collections; the explorer answers 404 for another clinic's page, and the dashboard
counts their clinics' pages, not the hub's. Library staff and superusers are not
limited.
"""

from django.http import Http404
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.models import Page

from . import reports  # noqa: F401  (hides hub-wide reports from a clinic's staff)
from .clinic_scope import access_for


@hooks.register("construct_page_chooser_queryset")
def keep_page_chooser_to_clinic(pages, request):
    access = access_for(request.user)
    if access.unlimited:
        return pages
    # The browse view shows the parent it is asked for before it asks this hook about
    # its children: a parent in another clinic is a 404, as for a page that does not exist.
    match = getattr(request, "resolver_match", None)
    parent_id = match.kwargs.get("parent_page_id") if match is not None else None
    if parent_id is not None:
        parent_path = Page.objects.filter(pk=parent_id).values_list("path", flat=True).first()
        if parent_path is None or not access.may_choose_page(parent_path):
            raise Http404
    return pages.filter(access.choosable_pages_q())


@hooks.register("construct_explorer_page_queryset")
def keep_explorer_to_clinic(parent_page, pages, request):
    access = access_for(request.user)
    if access.unlimited:
        return pages
    # Wagtail lists any page below the user's explorable root (Wagtail's root, for a
    # clinic's staff, whose homes are one per locale), naming it in the header even
    # when it shows none of its children: another clinic's page is a 404.
    if not parent_page.is_root() and not access.may_see_page(parent_page.path):
        raise Http404
    return pages.filter(access.pages_q())


@hooks.register("construct_image_chooser_queryset")
def keep_image_chooser_to_clinic(images, request):
    access = access_for(request.user)
    return images if access.unlimited else images.filter(access.choosable_collections_q())


@hooks.register("construct_document_chooser_queryset")
def keep_document_chooser_to_clinic(documents, request):
    access = access_for(request.user)
    return documents if access.unlimited else documents.filter(access.choosable_collections_q())


class ClinicPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count: the clinics' pages (Wagtail counts all below the
    explorable root, which is Wagtail's root for a clinic with several languages)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["total_pages"] = Page.objects.filter(access_for(self.request.user).pages_q()).count()
        return context


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own items are added
def count_clinic_pages_only(request, summary_items):
    if not access_for(request.user).unlimited:
        summary_items[:] = [
            ClinicPagesSummaryItem(request) if type(item) is PagesSummaryItem else item for item in summary_items
        ]
