"""Wagtail's workflow action view (the “Approve” modal and its POST), saying why an approval
is refused instead of a bare “permission denied”.

The medical review task leaves “Approve” out of a reviewer's actions while something
stops it (``MedicalReviewTask.refusal``: a translation check, the market, claims rules).
A reviewer who still reaches the action (a screen opened before the problem appeared, a
bookmarked link) is told which page, locale, field and check stand in the way, in the
modal or, without JavaScript, as a message on the page's edit screen.

Wired up as the ``workflow_action`` view of every page type's viewset
(``wagtail_hooks.review_page_viewsets``), the way Wagtail lets a project customise one
page view.
"""

from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail_localize.models import Translation

from cms.review.models import MedicalReviewTask


class ExplainedWorkflowActionView(WorkflowActionView):
    def dispatch(self, request, *args, **kwargs):
        problem = self.approval_refusal()
        if problem:
            return self.refuse(request, problem)
        return super().dispatch(request, *args, **kwargs)

    def approval_refusal(self):
        """Why this reviewer may not approve this page now, or None (not asked, or nothing stops it).

        Only members of the task's groups are told; Wagtail refuses anyone else as before.
        """
        task = self.task
        if self.action_name != "approve" or not isinstance(task, MedicalReviewTask):
            return None
        page = self.object.specific
        if not page.workflow_in_progress or not task.user_can_access_editor(page, self.request.user):
            return None
        return task.refusal(page, self.request.user)

    def refuse(self, request, problem):
        if request.headers.get("x-requested-with") != "XMLHttpRequest":
            messages.error(request, problem)
            return redirect(self.redirect_url)
        page = self.object.specific
        translation = Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        ).first()
        return render_modal_workflow(
            request,
            "review/approval_refused_modal.html",
            None,
            {"page": page, "problem": problem, "translation": translation},
            json_data={"step": "action"},
        )


def viewset_for(model):
    """A page viewset for ``model`` that differs from Wagtail's only in its workflow action view."""
    return PageViewSet(
        name=f"review_{model._meta.app_label}_{model._meta.model_name}",
        model=model,
        workflow_action_view_class=ExplainedWorkflowActionView,
    )


def reviewed_page_models():
    """Every page type of the site (any can sit under the review workflow), Wagtail's base page aside."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if model is not Page]
