"""Everything this project relies on inside wagtail-localize's translation editor.

The editor is a React app fed with one JSON document (``props``) built by
``wagtail_localize.views.edit_translation.edit_translation``. Its footer offers, in
order, "Stop Synced translation", "Convert to alias page" (when ``links.convertToAliasUrl``
is set), "Delete", lock actions, and "Publish in …" when ``perms.canPublish``; the last
one offered becomes the main button. For a translator who may not publish, that main
button was "Convert to alias page": destructive, and no way to finish.

So for those users ``translator_props`` removes the destructive links, and the page's
editor template (``templates/wagtail_localize/admin/edit_translation.html``) hides
wagtail-localize's footer and shows ours: "Submit for review", which saves the draft and
starts the page's workflow (``submit_for_review``). Strings save as they are typed, as
in wagtail-localize; the QA problems of each stored segment come back in its
``comment``. ``tests/translation/test_editor_adapter.py`` pins these assumptions.
"""

import json

from django.utils.translation import gettext as _
from wagtail.models import PagePermissionTester
from wagtail_localize.models import StringSegment

from .models import QAFlag

# The keys of wagtail-localize's props this module reads or changes.
PERMS, LINKS, STRINGS = "perms", "links", "initialStringTranslations"
DESTRUCTIVE_LINKS = ("convertToAliasUrl", "deleteUrl")
DESTRUCTIVE_PERMS = ("canDelete", "canLock", "canUnlock", "canUnpublish")


def may_publish(user, page):
    """Publishing rights by Wagtail's page permissions alone (the medical review rule aside)."""
    return PagePermissionTester(user, page).can_publish()


def with_problems(comment, messages):
    if not messages:
        return comment
    return " ".join([_("Check:"), *messages, *([f"({comment})"] if comment else [])])


def _open_problems(translation):
    """``{segment_id: [message]}`` of the translation's segments with an open QA flag."""
    flags = QAFlag.objects.filter(
        overridden_at=None,
        string_translation__locale_id=translation.target_locale_id,
        string_translation__context__object_id=translation.source.object_id,
    ).values_list("string_translation__translation_of_id", "string_translation__context_id", "problems")
    by_place = {(string_id, context_id): problems for string_id, context_id, problems in flags}
    if not by_place:
        return {}
    segments = StringSegment.objects.filter(source_id=translation.source_id).values_list(
        "id", "string_id", "context_id"
    )
    return {
        segment_id: [problem["message"] for problem in by_place[(string_id, context_id)]]
        for segment_id, string_id, context_id in segments
        if (string_id, context_id) in by_place
    }


def translator_props(props_json, translation, can_publish):
    """wagtail-localize's editor props for this user: destructive actions removed for
    those who may not publish, and each flagged segment's problems in its comment."""
    props = json.loads(props_json)
    if not can_publish:
        for key in DESTRUCTIVE_LINKS:
            props[LINKS][key] = None
        for key in DESTRUCTIVE_PERMS:
            props[PERMS][key] = False
    problems = _open_problems(translation)
    for entry in props.get(STRINGS, []):
        entry["comment"] = with_problems(entry.get("comment"), problems.get(entry.get("segment_id")))
    return json.dumps(props)


def add_problems_to_response(response, translation):
    """After a segment is saved through the editor's API, show its QA problems as its comment."""
    data = getattr(response, "data", None)
    if response.status_code in (200, 201) and isinstance(data, dict):
        messages = _open_problems(translation).get(data.get("segment_id"))
        data["comment"] = with_problems(data.get("comment"), messages)
    return response
