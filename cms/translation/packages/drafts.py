"""Save a translated page as a draft without touching what visitors see.

wagtail-localize's ``Translation.save_target(publish=False)`` writes the new content
into the page row (what the API serves) before saving a revision. For a live page that
puts unreviewed text live, and restoring the row from the live revision's stored copy
brings back that copy's stale ``live_revision`` and publication dates (NULL for a first
publication).

So a live page gets its draft the way Wagtail's own editor saves one: the translated
instance is built in memory (wagtail-localize's ``get_ephemeral_translated_instance``,
the same one its preview uses) and saved only as a revision. Wagtail's
``Page.save_revision`` then updates only the draft bookkeeping of the row
(``latest_revision``, ``draft_title``, ``has_unpublished_changes``). Pages that are not
live yet, aliases and new translations go through ``save_target``, which creates them.

This module is the one place that relies on those wagtail-localize calls;
tests/translation/test_package_drafts.py pins the behaviour.
"""

from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Page
from wagtail_localize.models import TranslationLog


def live_target_page(translation):
    """The translated page when it exists, is live and is a page of its own (not an alias); else None."""
    model = translation.source.specific_content_type.model_class()
    if not issubclass(model, Page):
        return None
    return Page.objects.filter(
        translation_key=translation.source.object_id,
        locale_id=translation.target_locale_id,
        live=True,
        alias_of__isnull=True,
    ).first()


def save_draft(translation, user=None):
    """Save the current translations of ``translation`` as a draft revision for review; returns the revision."""
    if live_target_page(translation) is None:
        translation.save_target(user=user, publish=False)
        return None
    instance = translation.source.get_ephemeral_translated_instance(translation.target_locale, fallback=True)
    # As save_target does: a translated slug is made valid and unique among the page's siblings.
    instance.slug = find_available_slug(instance.get_parent(), slugify(instance.slug), ignore_page_id=instance.pk)
    revision = instance.save_revision(user=user)
    TranslationLog.objects.create(source=translation.source, locale=translation.target_locale, revision=revision)
    return revision
