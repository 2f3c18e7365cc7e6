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


def audit_trail(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit() and not request.user.is_superuser:
        raise PermissionDenied
    records = audit.trail(page_key=page.translation_key)
    return TemplateResponse(
        request,
        "review/audit_trail.html",
        {
            "page": page,
            "records": records,
            "approval": approvals.in_force(page),
            "header_title": _("Medical sign-off trail of “%(title)s”") % {"title": page.title},
        },
    )
