"""Keeps locale-limited users (translators) to their locales in the snippet views and in
wagtail-localize's translation editor, "Translate" and "Sync translated pages" actions.
Wired up in ``cms.translation.wagtail_hooks``."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation, submit_translations, update_translations

from .editor import add_problems_to_response
from .locale_access import refuse_untranslatable, user_can_change_in_locale


def refuse_snippet_outside_user_locales(request, instance):
    """``before_edit_snippet``: a translator may not open a device of another locale."""
    if isinstance(instance, TranslatableMixin) and not user_can_change_in_locale(request.user, instance.locale_id):
        raise PermissionDenied


def refuse_snippet_deletion_outside_user_locales(request, instances):
    """``before_delete_snippet``: the same rule for deletions."""
    for instance in instances:
        refuse_snippet_outside_user_locales(request, instance)


def _translation_in_user_locales(view):
    """Wrap a wagtail-localize editor endpoint taking ``translation_id`` so that it
    refuses a translation into a locale the user may not change."""

    @wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        translation = get_object_or_404(Translation, pk=translation_id)
        if not user_can_change_in_locale(request.user, translation.target_locale_id):
            raise PermissionDenied
        response = view(request, translation_id, *args, **kwargs)
        if view is edit_translation.edit_string_translation:
            # A saved segment comes back with its translation check problems.
            response = add_problems_to_response(response, translation)
        return response

    return guarded


# The editor endpoints that write a translation. They take precedence over
# wagtail-localize's own routes (same paths, registered first); URL names are unchanged.
_GUARDED_ENDPOINTS = [
    ("translate/<int:translation_id>/strings/<int:string_segment_id>/edit/", edit_translation.edit_string_translation),
    ("translate/<int:translation_id>/overrides/<int:overridable_segment_id>/edit/", edit_translation.edit_override),
    ("translate/<int:translation_id>/pofile/upload/", edit_translation.upload_pofile),
    ("translate/<int:translation_id>/machine_translate/", edit_translation.machine_translate),
    ("translate/<int:translation_id>/disable/", edit_translation.stop_translation),
]


def _target_locales_of_submission(request, kwargs):
    """The locales a "Translate" form asks for (Locale ids in ``locales``)."""
    return Locale.objects.filter(pk__in=[value for value in request.POST.getlist("locales") if value.isdigit()])


def _target_locales_of_sync(request, kwargs):
    """Every locale a "Sync translated pages" would write: those translated from the source."""
    return Locale.objects.filter(
        translations__source_id=kwargs["translation_source_id"], translations__enabled=True
    ).distinct()


def _writes_in_user_locales(view, target_locales):
    """Wrap a wagtail-localize action so that a POST writing into a locale the user may
    not translate into is refused, with the reason shown on the same form. Users without
    wagtail-localize's permission for these actions are left to its own refusal."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST" and request.user.has_perm("wagtail_localize.submit_translation"):
            try:
                refuse_untranslatable(request.user, target_locales(request, kwargs))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect(request.path)
        return view(request, *args, **kwargs)

    return guarded


_GUARDED_ACTIONS = [
    ("submit/page/<int:page_id>/", submit_translations.SubmitPageTranslationView, _target_locales_of_submission),
    (
        "submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
        submit_translations.SubmitSnippetTranslationView,
        _target_locales_of_submission,
    ),
    ("update/<int:translation_source_id>/", update_translations.UpdateTranslationsView, _target_locales_of_sync),
]


def guarded_localize_urls():
    return [
        *(path(f"localize/{route}", _translation_in_user_locales(view)) for route, view in _GUARDED_ENDPOINTS),
        *(
            path(f"localize/{route}", _writes_in_user_locales(view.as_view(), targets))
            for route, view, targets in _GUARDED_ACTIONS
        ),
    ]
