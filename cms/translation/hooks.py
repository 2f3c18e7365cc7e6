"""Admin hooks of translation status and roles: the "Translation status" report, and
translators kept to their locales."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import page_permission_policy

from .admin_guards import (
    guarded_localize_urls,
    refuse_snippet_deletion_outside_user_locales,
    refuse_snippet_outside_user_locales,
)
from .report import TranslationStatusReportView

# Before wagtail-localize's own hooks, which would otherwise open its translation editor.
hooks.register("before_edit_snippet", refuse_snippet_outside_user_locales, order=-10)
hooks.register("before_delete_snippet", refuse_snippet_deletion_outside_user_locales, order=-10)


@hooks.register("register_admin_urls", order=-10)
def register_admin_urls():
    return [
        *guarded_localize_urls(),
        path(
            "reports/translation-status/",
            TranslationStatusReportView.as_view(),
            name="cms_translation_status_report",
        ),
        path(
            "reports/translation-status/results/",
            TranslationStatusReportView.as_view(results_only=True),
            name="cms_translation_status_report_results",
        ),
    ]


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"), reverse("cms_translation_status_report"), icon_name="site", order=8900
    )
