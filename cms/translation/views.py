"""Admin screens around one translation: its check problems (and a reviewer's override),
translation memory matches for its segments, and a translator's "Submit for review".

The first two serve translated snippets (Devices) as well as pages: their editor links
to them the same way.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.models import StringSegment, Translation

from . import memory, qa
from .editor import may_publish
from .locale_access import user_can_change_in_locale
from .models import QAFlag


def _can_edit(user, target):
    if isinstance(target, Page):
        return target.permissions_for_user(user).can_edit()
    return user.has_perm(get_permission_name("change", type(target)))


def may_accept(user, target):
    """Who may accept a translation despite a failed check: those who may publish the page,
    or, for a snippet (which goes live as it is saved), those who may publish the pages of
    its locale (its reviewers)."""
    if isinstance(target, Page):
        return may_publish(user, target)
    if user.is_superuser:
        return True
    homes = Page.objects.filter(depth=2, locale_id=target.locale_id)
    return any(may_publish(user, home) for home in homes)


def _editable_translation(request, translation_id, *, pages_only=False, reviewers_too=False):
    """``(translation, target)``: the translation and the page (or snippet) it writes into,
    when ``request.user`` may edit it in its locale (or, with ``reviewers_too``, accept it)."""
    translation = get_object_or_404(
        Translation.objects.select_related("source__specific_content_type", "target_locale"), pk=translation_id
    )
    target = qa.translated_object(translation)
    if target is None or (pages_only and not isinstance(target, Page)):
        raise PermissionDenied
    user = request.user
    editor = user_can_change_in_locale(user, translation.target_locale_id) and _can_edit(user, target)
    if not (editor or (reviewers_too and may_accept(user, target))):
        raise PermissionDenied
    return translation, target


def _screen_context(request, translation, target):
    return {
        "translation": translation,
        "page": target,
        "target_title": target.get_admin_display_title() if isinstance(target, Page) else str(target),
        "back_url": AdminURLFinder(request.user).get_edit_url(target),
    }


class OverrideForm(forms.Form):
    flag = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why the translation is right as it is"), widget=forms.Textarea(attrs={"rows": 2})
    )


def translation_checks(request, translation_id):
    """The segments of a translation that failed a check; reviewers may override each with a reason."""
    translation, target = _editable_translation(request, translation_id, reviewers_too=True)
    can_override = may_accept(request.user, target)
    form = OverrideForm()
    if request.method == "POST":
        if not can_override:
            raise PermissionDenied
        form = OverrideForm(request.POST)
        if form.is_valid():
            flag = get_object_or_404(
                qa.open_flags(target.translation_key, target.locale_id), pk=form.cleaned_data["flag"]
            )
            try:
                qa.override(flag, request.user, form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The translation was accepted as it is; the reason is in its history."))
            return redirect("cms_translation_checks", translation.pk)
    flags = QAFlag.objects.filter(
        string_translation__locale_id=target.locale_id, string_translation__context__object_id=target.translation_key
    ).select_related("string_translation__translation_of", "string_translation__context", "overridden_by")
    return TemplateResponse(
        request,
        "translation/checks.html",
        {
            **_screen_context(request, translation, target),
            "flags": flags,
            "form": form,
            "can_override": can_override,
            "goes_live_when_saved": not isinstance(target, Page),
        },
        status=400 if form.errors else 200,
    )


def memory_matches(request, translation_id):
    """Translation memory matches for each segment of a translation (``?segment=<id>`` for one)."""
    translation, target = _editable_translation(request, translation_id)
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
        request, "translation/memory_matches.html", {**_screen_context(request, translation, target), "rows": rows}
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
    translation, page = _editable_translation(request, translation_id, pages_only=True)
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
