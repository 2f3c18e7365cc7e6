"""Wagtail's ``publish_scheduled``, which first holds back what medical review no longer covers.

A revision scheduled with an approval may no longer hash to it when its time comes (a
device it shows was edited meanwhile). Wagtail's command would stop at the first
refused publish; this one unschedules such revisions (the page stays as it is, and
the trail shows the void), says so on stderr, and lets Wagtail publish the rest.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Page, Revision

from cms.review.gate import check_publish

logger = logging.getLogger(__name__)


class Command(WagtailCommand):
    help = WagtailCommand.help + " Revisions medical review no longer covers are unscheduled and reported."

    def handle(self, *args, **options):
        if not options.get("dryrun"):
            self.hold_back_unreviewed()
        return super().handle(*args, **options)

    def hold_back_unreviewed(self):
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now(), base_content_type__model="page")
        for revision in due.order_by("approved_go_live_at"):
            page = revision.content_object
            if not isinstance(page, Page):
                continue
            try:
                with transaction.atomic():
                    check_publish(page, revision)
            except PermissionDenied as refusal:
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
                message = f"Not published: {page.title} (page {page.pk}, revision {revision.pk}): {refusal}"
                logger.warning(message)
                self.stderr.write(message)
