"""Wagtail's ``purge_revisions``, keeping every page's live revision.

Wagtail's command deletes any revision that is not the latest one, so a live page with
a newer draft lost its live revision: its ``meta.revision`` turned null in the API and
the history lost what was published. This command takes its place (``cms.api`` comes
before ``wagtail`` in ``INSTALLED_APPS``) with the same options and rules, and leaves
live revisions alone. Should a live revision be deleted some other way,
``cms.api.signals`` logs the change so that no cached answer keeps the old value.
"""

from django.conf import settings
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from wagtail.management.commands import purge_revisions as wagtail_purge
from wagtail.models import Page, Revision, WorkflowState


def purge_revisions(days=None, pages=True, non_pages=True):
    """Wagtail's rules (latest, scheduled and in-moderation revisions stay), and live ones stay."""
    if pages == non_pages:
        objects = Revision.objects.all()
    elif pages:
        objects = Revision.objects.page_revisions()
    else:
        objects = Revision.objects.not_page_revisions()
    purgeable = objects.exclude(approved_go_live_at__isnull=False).exclude(
        pk__in=Page.objects.exclude(live_revision=None).values("live_revision_id")
    )
    if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        purgeable = purgeable.exclude(
            Q(task_states__workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
            | Q(task_states__workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES)
        )
    if days:
        purgeable = purgeable.filter(created_at__lt=timezone.now() - timezone.timedelta(days=days))
    deleted = protected = 0
    for revision in purgeable.iterator():
        if not revision.is_latest_revision():
            try:
                revision.delete()
                deleted += 1
            except ProtectedError:
                protected += 1
    return deleted, protected


class Command(wagtail_purge.Command):
    help = wagtail_purge.Command.help + "; the revision each live page serves stays too"

    def handle(self, *args, **options):
        deleted, protected = purge_revisions(
            days=options.get("days"), pages=options.get("pages"), non_pages=options.get("non_pages")
        )
        if deleted:
            self.stdout.write(self.style.SUCCESS(f"Successfully deleted {deleted} revisions"))
            self.stdout.write(
                self.style.SUCCESS(f"Ignored {protected} revisions because protected relations prevent deletion.")
            )
        else:
            self.stdout.write("No revisions deleted")
