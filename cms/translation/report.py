"""The admin's "Translation status" report (Reports menu).

For editors and translators: every page written in the default locale, per target
locale, with its state (complete, stale, incomplete, missing…), the share translated,
stale and machine-translated segments, where the page and its translation stand in
medical review (a voided approval shows as “Needs re-review”) and the last change;
filterable by locale and state, exportable as CSV or Excel like Wagtail's own reports.
A clinic's staff see their clinics' pages in their clinics' locales
(``cms.security.clinic_scope``).
"""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page
from wagtail.permissions import page_permission_policy

from cms.review.models import ReviewStatus
from cms.security.clinic_scope import access_for

from .status import COMPLETE, INCOMPLETE, INDEPENDENT, MISSING, ORIGINAL, STALE_STATE, status_rows

STATE_LABELS = {
    COMPLETE: _("Complete"),
    STALE_STATE: _("Stale: source changed"),
    INCOMPLETE: _("Incomplete"),
    MISSING: _("Not translated yet"),
    INDEPENDENT: _("Edited independently"),
    ORIGINAL: _("Original"),
}


def _target_locale_choices():
    default = Locale.get_default()
    return [
        (locale.language_code, locale.get_display_name())
        for locale in Locale.objects.exclude(pk=default.pk).order_by("language_code")
    ]


def _keep(queryset, name, value):
    # The report filters rows after working out their status, not the page queryset.
    return queryset


class TranslationStatusFilterSet(WagtailFilterSet):
    locale = django_filters.ChoiceFilter(
        label=_("Locale"), choices=_target_locale_choices, empty_label=_("All"), method=_keep
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=list(STATE_LABELS.items()), empty_label=_("All"), method=_keep
    )

    class Meta:
        model = Page
        fields = []


class TranslationStatusReportView(ReportView):
    page_title = _("Translation status")
    header_icon = "site"
    template_name = "wagtailadmin/reports/base_report.html"
    results_template_name = "translation/status_report_results.html"
    index_url_name = "cms_translation_status_report"
    index_results_url_name = "cms_translation_status_report_results"
    filterset_class = TranslationStatusFilterSet
    any_permission_required = ["add", "change", "publish"]
    columns = []
    list_export = [
        "page.title",
        "page.url_path",
        "status.locale",
        "status.state",
        "status.percent",
        "status.translated",
        "status.stale",
        "status.machine",
        "status.flagged",
        "status.total",
        "source_review",
        "status.review",
        "status.last_change",
    ]
    export_headings = {
        "page.title": _("Page"),
        "page.url_path": _("Path"),
        "status.locale": _("Locale"),
        "status.state": _("State"),
        "status.percent": _("Percent translated"),
        "status.translated": _("Translated segments"),
        "status.stale": _("Stale segments"),
        "status.machine": _("Machine-translated segments"),
        "status.flagged": _("Segments failing checks"),
        "status.total": _("Segments"),
        "source_review": _("Medical review of the source"),
        "status.review": _("Medical review"),
        "status.last_change": _("Last change"),
    }

    @cached_property
    def permission_policy(self):
        return page_permission_policy

    @cached_property
    def clinic_access(self):
        return access_for(self.request.user)

    def get_queryset(self):
        pages = Page.objects.filter(depth__gt=1, locale=Locale.get_default())
        return pages.filter(self.clinic_access.pages_q()).order_by("path")

    def get_filtered_queryset(self):
        chosen = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        locales = None
        codes = self.clinic_access.locale_codes()
        if codes is not None:
            locales = Locale.objects.filter(language_code__in=codes).exclude(pk=Locale.get_default().pk)
            locales = locales.order_by("language_code")
        if chosen.get("locale"):
            allowed = Locale.objects.all() if locales is None else locales
            locales = [locale for locale in allowed if locale.language_code == chosen["locale"]]
        rows = status_rows(locales=locales, pages=self.get_queryset())
        if chosen.get("state"):
            rows = [row for row in rows if row.status.state == chosen["state"]]
        for row in rows:
            row.state_label = STATE_LABELS[row.status.state]
            row.review_label = ReviewStatus(row.status.review).label if row.status.review else ""
            row.source_review_label = ReviewStatus(row.source_review).label if row.source_review else ""
        return rows

    def get_filename(self):
        return "translation-status"
