"""Admin screens of the medical sign-off: a page's audit trail, and publishing without review.

“Publish without review” is for superusers only, asks for a reason, and goes through
the same gate as every publish (``gate.bypass``), which writes the reason to the trail.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from cms.review import approvals, audit, gate


class BypassForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why must this page go live without medical review?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("e.g. “Urgent safety correction agreed by phone with Dr Ruiz; review to follow.”"),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why this page must go live without medical review."))
        return reason


def publish_without_review(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not request.user.is_superuser:
        raise PermissionDenied
    form = BypassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revision = page.get_latest_revision() or page.save_revision(user=request.user)
        with gate.bypass(request.user, form.cleaned_data["reason"]):
            revision.publish(user=request.user)
        messages.success(request, _("“%(title)s” was published without medical review.") % {"title": page.title})
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "review/publish_without_review.html",
        {"page": page, "form": form, "header_title": _("Publish “%(title)s” without review") % {"title": page.title}},
    )


def _task_state_for(page):
    state = page.current_workflow_task_state
    return state.specific if state is not None else None


def submit_for_review(request, page_id):
    """Submit a page (a translation made in wagtail-localize's editor included) for its market's review.

    wagtail-localize's editor offers no workflow step; here the translator's strings
    become the page's draft and the draft goes to the “Medical review” workflow.
    """
    from wagtail_localize.models import Translation

    page = get_object_or_404(Page, pk=page_id).specific
    if request.method != "POST" or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    if translation is not None:
        translation.save_target(user=request.user, publish=False)
        page = Page.objects.get(pk=page.pk).specific
    else:
        page.save_revision(user=request.user)
    workflow = page.get_workflow()
    if workflow is not None and not page.workflow_in_progress:
        workflow.start(page, request.user)
    messages.success(request, _("“%(title)s” was submitted for medical review.") % {"title": page.title})
    return redirect("review_audit_trail", page.pk)


def _approval_refusal(task_state, page, user):
    """Why a member of the task's reviewers may not approve ``page`` now (e.g. an open
    translation check), or None; others are not told."""
    task = task_state.task.specific
    return task.refusal(page, user) if task.user_can_access_editor(page, user) else None


def approve_from_trail(request, page_id):
    """Approve the page's review task from the sign-off screen (translations have no edit screen of their own)."""
    page = get_object_or_404(Page, pk=page_id).specific
    task_state = _task_state_for(page)
    if request.method != "POST" or task_state is None:
        raise PermissionDenied
    task = task_state.task.specific
    if "approve" not in [action[0] for action in task.get_actions(page, request.user)]:
        problem = _approval_refusal(task_state, page, request.user)
        if problem is None:
            raise PermissionDenied
        messages.error(request, problem)
        return redirect("review_audit_trail", page.pk)
    task.on_action(task_state, request.user, "approve", comment="")
    messages.success(request, _("“%(title)s” was approved and published.") % {"title": page.title})
    return redirect("review_audit_trail", page.pk)


def audit_trail(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit() and not request.user.is_superuser:
        task = page.current_workflow_task
        if task is None or not task.specific.user_can_access_editor(page, request.user):
            raise PermissionDenied
    task_state = _task_state_for(page)
    actions = [action[0] for action in task_state.task.specific.get_actions(page, request.user)] if task_state else []
    records = audit.trail(page_key=page.translation_key)
    return TemplateResponse(
        request,
        "review/audit_trail.html",
        {
            "page": page,
            "records": records,
            "approval": approvals.in_force(page),
            "can_submit": task_state is None and page.permissions_for_user(request.user).can_edit(),
            "can_approve": "approve" in actions,
            "approval_refusal": _approval_refusal(task_state, page, request.user)
            if task_state and "approve" not in actions
            else None,
            "header_title": _("Medical sign-off trail of “%(title)s”") % {"title": page.title},
        },
    )
