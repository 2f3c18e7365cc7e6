"""Keeps locale-limited users (translators) to their locales in the snippet views and in
wagtail-localize's translation editor. Wired up in ``cms.translation.wagtail_hooks``."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.models import TranslatableMixin
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation

from .editor import add_problems_to_response
from .locale_access import user_can_change_in_locale


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


def guarded_localize_urls():
    return [path(f"localize/{route}", _translation_in_user_locales(view)) for route, view in _GUARDED_ENDPOINTS]
