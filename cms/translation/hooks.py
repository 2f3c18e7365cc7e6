"""Admin hooks of translation status, roles and checks: the "Translation status" report,
translators kept to their locales, pages with failed translation checks held back from
publishing, and the screens of one translation (checks, memory matches, submit)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import page_permission_policy

from . import qa, views
from .admin_guards import (
    guarded_localize_urls,
    refuse_snippet_deletion_outside_user_locales,
    refuse_snippet_outside_user_locales,
)
from .glossary_admin import GlossaryViewSet
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
        path("translation/<int:translation_id>/checks/", views.translation_checks, name="cms_translation_checks"),
        path("translation/<int:translation_id>/memory/", views.memory_matches, name="cms_translation_memory"),
        path("translation/<int:translation_id>/submit/", views.submit_for_review, name="cms_translation_submit"),
    ]


def _refuse_flagged(request, page):
    flags = qa.publish_blockers(page)
    if not flags:
        return None
    messages.error(request, qa.blocked_message(page, flags))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def hold_back_flagged_translations(request, page):
    """The admin's "Publish" refuses a page whose translation has an open check problem."""
    return _refuse_flagged(request, page)


@hooks.register("before_edit_page", order=-10)
def hold_back_flagged_translation_in_editor(request, page):
    """The same for "Publish in …" of wagtail-localize's editor (a POST to the edit view),
    and for a reviewer's "Approve" from the edit view, since approving publishes."""
    if request.method != "POST":
        return None
    approving = request.POST.get("action-workflow-action") and request.POST.get("workflow-action-name") == "approve"
    if request.POST.get("action") == "publish" or approving:
        return _refuse_flagged(request, page)
    return None


@hooks.register("register_admin_viewset")
def register_glossary_viewset():
    return GlossaryViewSet("glossary")


@hooks.register("register_log_actions")
def register_translation_log_actions(actions):
    actions.register_action(
        qa.OVERRIDE_ACTION, _("Accept translation despite a check"), _("Translation accepted despite a check")
    )


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"), reverse("cms_translation_status_report"), icon_name="site", order=8900
    )
