"""Wagtail's reports, as a clinic's staff may see them.

Wagtail scopes most of its reports by page rights (locked and aging pages, workflows),
which already keep a clinic's staff to their clinic. Two it does not:

- **Site history** lists every API key, webhook endpoint, image and document change to
  whoever may change such records anywhere. Here a clinic's staff see the history of
  records bound to their clinics (a ``site``) or kept outside other clinics'
  collections (a ``collection``), and of their clinics' pages, as before.
- **Page types usage** counts every page of the hub and names the last one edited of
  each type; it has no per-clinic answer, so a clinic's staff do not get it.

``cms/urls.py`` mounts these views at Wagtail's own addresses, ahead of Wagtail's.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, ForeignKey, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.urls import path
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Collection, PageLogEntry, Site

from .clinic_scope import access_for


def _rows_in_scope(model, access):
    """The rows of ``model`` the user may see, when it belongs to clinics; else None."""
    fields = {field.name: field for field in model._meta.get_fields() if isinstance(field, ForeignKey)}
    if "site" in fields and fields["site"].related_model is Site:
        return model._default_manager.filter(access.site_q("site"))
    if "collection" in fields and fields["collection"].related_model is Collection:
        return model._default_manager.filter(access.choosable_collections_q())
    return None


def viewable_log_entries(log_model, user):
    """``log_model``'s entries that ``user`` may see: Wagtail's rule, then their clinics'."""
    entries = log_model.objects.viewable_by_user(user)
    access = access_for(user)
    if access.unlimited or log_model is PageLogEntry:  # page entries follow page rights already
        return entries
    for content_type_id in set(entries.values_list("content_type_id", flat=True).distinct()):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        rows = _rows_in_scope(model, access) if model is not None else None
        if rows is not None:
            object_ids = rows.annotate(object_key=Cast("pk", CharField())).values("object_key")
            entries = entries.filter(~Q(content_type_id=content_type_id) | Q(object_id__in=object_ids))
    return entries


class ClinicSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_user_choices(self):
        from django.contrib.auth import get_user_model

        user_ids = set()
        for log_model in log_action_registry.get_log_entry_models():
            user_ids.update(viewable_log_entries(log_model, self.request.user).get_user_ids())
        user_model = get_user_model()
        return user_model.objects.filter(pk__in=user_ids).order_by(user_model.USERNAME_FIELD)


class ClinicSiteHistoryView(LogEntriesView):
    """Wagtail's “Site history”, with records of other clinics left out."""

    filterset_class = ClinicSiteHistoryFilterSet

    def get_filtered_queryset(self):
        # Wagtail's own, asking viewable_log_entries() instead of viewable_by_user().
        queryset = None
        self.log_models = list(log_action_registry.get_log_entry_models())
        for index, log_model in enumerate(self.log_models):
            sub_queryset = (
                viewable_log_entries(log_model, self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")


class LibraryPageTypesUsageView(PageTypesUsageReportView):
    """Wagtail's “Page types usage”, for library staff only."""

    def dispatch(self, request, *args, **kwargs):
        if not access_for(request.user).unlimited:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


@hooks.register("construct_reports_menu")
def hide_hub_wide_reports(request, menu_items):
    if not access_for(request.user).unlimited:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


# Mounted under admin/ ahead of Wagtail's admin URLs (cms/urls.py); same paths as Wagtail's.
urlpatterns = [
    path("reports/site-history/", require_admin_access(ClinicSiteHistoryView.as_view())),
    path("reports/site-history/results/", require_admin_access(ClinicSiteHistoryView.as_view(results_only=True))),
    path("reports/page-types-usage/", require_admin_access(LibraryPageTypesUsageView.as_view())),
    path(
        "reports/page-types-usage/results/",
        require_admin_access(LibraryPageTypesUsageView.as_view(results_only=True)),
    ),
]
