"""Writes a change row for every publish, unpublish, move and delete of a page.

Receivers run inside the transaction of the change (see ``atomic_actions``), so the row
commits or rolls back with it. Anything that talks to the outside world (webhooks, CDN
purges) is only scheduled here and runs after the commit.

Descendants are recorded too when a change alters what anonymous clients see below a
page: unpublishing hides its children, moving or renaming changes their paths, and
publishing a page that was not live makes its live children visible again.

Each change also goes to the API's invalidation log, naming the tags it makes stale
(``stale_tags``), so that cached answers and CDN copies showing it are dropped in every
process, and nothing else.

Some edits change what anonymous clients get without a publish: a view restriction
added (an unpublish, for them) or lifted (a publish), and a Device edited (the
comparison pages showing it serve new figures). Those are recorded too.

A change to a library page changes every clinic page that shows it (``cms.api.clinics``):
each gets a row of its own in the same transaction, ``page.published`` (its served page
changed) or ``page.unpublished`` (no library copy serves it any more), so a clinic's
feed, bundle and webhooks hear of it as of a change to their own page. Each row keeps
the page's place in the tree, which is how a clinic's feed keeps to its own rows.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_localize.models import TranslationSource

from cms.api import invalidation, tags
from cms.api.clinics import clinic_copies_following
from cms.api.cursors import writing_xact
from pages.snippets import Device

from .models import ChangeEvent, ContentChange
from .serving import page_path, page_type


def is_translation(page):
    """True when wagtail-localize made this page from a source in another locale."""
    return TranslationSource.objects.filter(object_id=page.translation_key).exclude(locale_id=page.locale_id).exists()


def live_descendants(page):
    return list(Page.objects.descendant_of(page).live().select_related("locale"))


CONTENT, RETITLE, STRUCTURE = "content", "retitle", "structure"


def stale_tags(page, *, change, parents=()):
    """The tags (``cms.api.tags``) a change to ``page`` makes stale.

    Args:
        page: the page that changed.
        change: ``CONTENT`` (only the page's own JSON shows it), ``RETITLE`` (pages
            showing its title too: parent, children, links) or ``STRUCTURE`` (shown,
            hidden, moved or deleted: also its translations' alternates, fallbacks and
            its parents' lists of children).
        parents: ids of parents whose children changed (the old one too, for a move).
    """
    found = {tags.page(page.pk), tags.ROWS}
    if change in (RETITLE, STRUCTURE):
        found |= {tags.reference(page.pk), tags.TITLES}
    if change == STRUCTURE:
        found |= {tags.translation_key(page.translation_key), tags.LISTING}
        found |= {tags.children(parent_id) for parent_id in parents if parent_id}
    return found


def _parent_id(page, known):
    """The id of ``page``'s parent, from ``known`` ({tree path: id}) or the database."""
    parent_path = page.path[: -Page.steplen]
    if parent_path not in known:
        known[parent_path] = Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
    return known[parent_path]


def change_row(event, page, revision_id, *, xact=0, moved_from=""):
    """The (unsaved) change row of ``event`` for ``page``; its locale must be loaded."""
    return ContentChange(
        xact=xact,
        event=event,
        key=page.translation_key,
        locale=page.locale.language_code,
        page_id=page.pk,
        page_type=page_type(page),
        path=page_path(page) or "",
        url_path=page.url_path,
        tree_path=page.path,
        moved_from=moved_from,
        title=page.title,
        revision_id=revision_id,
    )


def clinic_entries(entries):
    """``(event, clinic page, revision)`` for every clinic page showing a library page of ``entries``."""
    changed = [entry_page for _event, entry_page, _revision in entries]
    named = {entry_page.pk for entry_page in changed}
    return [
        (ChangeEvent.PUBLISHED if shown else ChangeEvent.UNPUBLISHED, clinic_page, clinic_page.live_revision_id)
        for clinic_page, shown in clinic_copies_following(changed)
        if clinic_page.pk not in named
    ]


def record(event, page, *, descendants=(), descendant_event=None, change=STRUCTURE, old_parent=None, invalidate=True):
    """Write change rows for ``page`` (and ``descendants``) in the current transaction.

    Returns the rows written. The webhook and CDN work they trigger is queued to run
    once the transaction commits, and is dropped if it rolls back. With ``invalidate``,
    the invalidation log (``cms.api.invalidation``) gets the tags the change makes stale:
    a publish that is only a content edit stales the page itself; anything else
    (shown, hidden, moved, deleted, retitled) also what other pages show of it. The
    clinic pages showing a library page written here get rows too (module docs); their
    cached answers carry the library page's tags, so the log needs nothing more.

    Args:
        old_parent: for a move, the page the moved pages were under (its id is staled
            and its tree path kept as ``moved_from``).
    """
    entries = [(event, page, page.live_revision_id if event != ChangeEvent.DELETED else None)]
    entries += [(descendant_event or event, child, child.live_revision_id) for child in descendants]
    if invalidate:
        known = {entry_page.path: entry_page.pk for _event, entry_page, _revision in entries}
        stale = stale_tags(page, change=change, parents=[_parent_id(page, known), old_parent and old_parent.pk])
        for child in descendants:
            stale |= stale_tags(child, change=STRUCTURE, parents=[_parent_id(child, known)])
        invalidation.record(
            stale,
            pages=[entry_page.pk for _event, entry_page, _revision in entries],
            gone=[entry_page.pk for entry_event, entry_page, _rev in entries if entry_event == ChangeEvent.DELETED],
        )
    moved_from = old_parent.path if old_parent is not None else ""
    with transaction.atomic():
        xact = writing_xact()
        rows = ContentChange.objects.bulk_create(
            [
                *(
                    change_row(entry_event, entry_page, revision_id, xact=xact, moved_from=moved_from)
                    for entry_event, entry_page, revision_id in entries
                ),
                *(
                    change_row(entry_event, entry_page, revision_id, xact=xact)
                    for entry_event, entry_page, revision_id in clinic_entries(entries)
                ),
            ]
        )
    from .notify import changes_committed

    transaction.on_commit(lambda: changes_committed(rows), robust=True)
    return rows


@receiver(page_published)
def record_publish(sender, instance, revision=None, **kwargs):
    event = ChangeEvent.TRANSLATION_PUBLISHED if is_translation(instance) else ChangeEvent.PUBLISHED
    previous = ContentChange.objects.filter(page_id=instance.pk).order_by("-id").first()
    if previous is None or previous.event in (ChangeEvent.UNPUBLISHED, ChangeEvent.DELETED):
        # It was not visible: its live children become visible with it.
        record(event, instance, descendants=live_descendants(instance), descendant_event=ChangeEvent.PUBLISHED)
    elif previous.url_path != instance.url_path:
        # A new slug moved every page below it.
        record(event, instance, descendants=live_descendants(instance), descendant_event=ChangeEvent.MOVED)
    else:
        # Only a new title shows on other pages (parent, children, links to it).
        record(event, instance, change=RETITLE if previous.title != instance.title else CONTENT)


def still_live_in_database(page):
    return Page.objects.filter(pk=page.pk, live=True).exists()


@receiver(page_unpublished)
def record_unpublish(sender, instance, **kwargs):
    if still_live_in_database(instance):
        # Wagtail unpublishes without saving (commit=False) just before deleting a
        # page; the delete is recorded as such.
        return
    record(ChangeEvent.UNPUBLISHED, instance, descendants=live_descendants(instance))


@receiver(post_page_move)
def record_move(sender, instance, url_path_before=None, url_path_after=None, parent_page_before=None, **kwargs):
    if instance.live:
        record(ChangeEvent.MOVED, instance, descendants=live_descendants(instance), old_parent=parent_page_before)


@receiver(pre_delete, sender=Page)
def record_delete(sender, instance, **kwargs):
    # Django sends this once per page, descendants included, inside the delete's
    # transaction. Wagtail may already have flipped ``live`` on this instance, so ask
    # the database; a draft that was never live left nothing to take back.
    if still_live_in_database(instance):
        record(ChangeEvent.DELETED, instance)


# --- Changes that alter what a page serves without publishing it ---------------------------


@receiver(post_save, sender=PageViewRestriction)
def record_restriction(sender, instance, created, **kwargs):
    # A password, login or group restriction takes the page and everything below it
    # out of public view: for apps and caches that is an unpublish.
    if created:
        page = instance.page
        if page.live:
            record(ChangeEvent.UNPUBLISHED, page, descendants=live_descendants(page))


@receiver(post_delete, sender=PageViewRestriction)
def record_restriction_lifted(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None and page.live:
        record(ChangeEvent.PUBLISHED, page, descendants=live_descendants(page))


@receiver(post_save, sender=Device)
def record_device_edit(sender, instance, created, **kwargs):
    """A device's facts appear inside comparison pages: their served JSON changed.

    Recorded as ``page.published`` for each live page that uses the device in any
    locale (Wagtail's reference index knows which), so apps, bundles and caches pick
    up the new figures.
    """
    if created:
        return
    devices = Device.objects.filter(translation_key=instance.translation_key)
    references = ReferenceIndex.get_references_to_in_bulk(list(devices)).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = {int(object_id) for object_id in references.values_list("object_id", flat=True)}
    for page in Page.objects.filter(pk__in=page_ids, live=True).select_related("locale"):
        # For the feed only: the pages' cached answers carry the device's own tag (cms.api.signals).
        record(ChangeEvent.PUBLISHED, page, invalidate=False)
