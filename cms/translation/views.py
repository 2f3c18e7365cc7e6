"""Admin screens around one translation: its check problems (and a reviewer's override),
translation memory matches for its segments, and a translator's "Submit for review"."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation

from . import memory, qa
from .editor import may_publish
from .locale_access import user_can_change_in_locale
from .models import QAFlag


def _target_page(translation):
    page = Page.objects.filter(
        translation_key=translation.source.object_id, locale_id=translation.target_locale_id
    ).first()
    if page is None:
        raise PermissionDenied
    return page.specific


def _editable_translation(request, translation_id):
    translation = get_object_or_404(Translation.objects.select_related("source", "target_locale"), pk=translation_id)
    page = _target_page(translation)
    if not (
        user_can_change_in_locale(request.user, translation.target_locale_id)
        and page.permissions_for_user(request.user).can_edit()
    ):
        raise PermissionDenied
    return translation, page


class OverrideForm(forms.Form):
    flag = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why the translation is right as it is"), widget=forms.Textarea(attrs={"rows": 2})
    )


def translation_checks(request, translation_id):
    """The segments of a translation that failed a check; reviewers may override each with a reason."""
    translation, page = _editable_translation(request, translation_id)
    can_override = may_publish(request.user, page)
    form = OverrideForm()
    if request.method == "POST":
        if not can_override:
            raise PermissionDenied
        form = OverrideForm(request.POST)
        if form.is_valid():
            flag = get_object_or_404(qa.open_flags(page.translation_key, page.locale_id), pk=form.cleaned_data["flag"])
            qa.override(flag, request.user, form.cleaned_data["reason"])
            messages.success(request, _("The translation was accepted as it is; the reason is in the page history."))
            return redirect("cms_translation_checks", translation.pk)
    flags = QAFlag.objects.filter(
        string_translation__locale_id=page.locale_id, string_translation__context__object_id=page.translation_key
    ).select_related("string_translation__translation_of", "string_translation__context", "overridden_by")
    return TemplateResponse(
        request,
        "translation/checks.html",
        {"translation": translation, "page": page, "flags": flags, "form": form, "can_override": can_override},
        status=400 if form.errors else 200,
    )


def memory_matches(request, translation_id):
    """Translation memory matches for each segment of a translation (``?segment=<id>`` for one)."""
    translation, page = _editable_translation(request, translation_id)
    index = memory.MemoryIndex(translation.source.locale_id, translation.target_locale_id)
    segments = StringSegment.objects.filter(source=translation.source).select_related("string", "context")
    if request.GET.get("segment", "").isdigit():
        segments = segments.filter(pk=int(request.GET["segment"]))
    rows = [
        {"segment": segment, "matches": index.matches(segment.string.data, memory.field_kind(segment.context))}
        for segment in segments.order_by("order")
        if memory.field_kind(segment.context) not in memory.NOT_REMEMBERED
    ]
    return TemplateResponse(
        request, "translation/memory_matches.html", {"translation": translation, "page": page, "rows": rows}
    )


# Fields that say where a page is in the tree or which revisions it has: never restored.
_NOT_CONTENT = {"path", "depth", "numchild", "url_path", "latest_revision", "has_unpublished_changes", "draft_title"}


@transaction.atomic
def save_draft_keeping_live(translation, page, user):
    """Save the translation as a draft revision of ``page`` and leave its live content alone.

    wagtail-localize's ``save_target(publish=False)`` writes the draft into the page row,
    which visitors and the API read; for a live page the row is put back as it was, only
    pointing at the new latest revision, as Wagtail's own "Save draft" leaves it.
    """
    translation.save_target(user=user, publish=False)
    if not page.live:
        return
    draft = type(page).objects.get(pk=page.pk)
    page.latest_revision_id, page.draft_title = draft.latest_revision_id, draft.draft_title
    page.has_unpublished_changes = True
    fields = [
        field.name
        for field in type(page)._meta.concrete_fields
        if not field.primary_key and field.name not in _NOT_CONTENT
    ]
    # Model.save, not Page.save: a raw write of the row as it was, with no tree or log side effects.
    models.Model.save(page, update_fields=[*fields, "latest_revision", "draft_title", "has_unpublished_changes"])


@require_POST
def submit_for_review(request, translation_id):
    """Save the translation as a draft of the page and start its review workflow."""
    translation, page = _editable_translation(request, translation_id)
    flags = qa.publish_blockers(page)
    if flags:
        messages.error(request, qa.blocked_message(page, flags))
        return redirect("cms_translation_checks", translation.pk)
    save_draft_keeping_live(translation, page, request.user)
    page = Page.objects.get(pk=page.pk).specific
    if page.workflow_in_progress:
        messages.info(request, _("“%(title)s” is already waiting for review.") % {"title": page.title})
        return redirect("wagtailadmin_pages:edit", page.pk)
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("No review workflow covers “%(title)s”; ask an editor.") % {"title": page.title})
        return redirect("wagtailadmin_pages:edit", page.pk)
    workflow.start(page, request.user)
    messages.success(
        request,
        _("“%(title)s” was submitted for review. A reviewer will publish it.") % {"title": page.title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
