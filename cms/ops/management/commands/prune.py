"""Remove old rows from the tables that grow with every change: the change feed, the
webhook delivery log and the invalidation log. Run it daily (``deploy/cron``)::

    manage.py prune --changes-older-than 90d --deliveries-older-than 30d --invalidations-older-than 7d

Ages are a whole number of days (``90d``), hours (``36h``) or weeks (``12w``). Every
age is checked before anything is removed: a zero, negative or unreadable age, or a
change age below the sync feed's promise (``SYNC_CURSOR_MIN_DAYS``), stops the command
with nothing deleted. ``--dry-run`` says what would go.
"""

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cms.api import retention as api_retention
from cms.delivery import retention as delivery_retention

_AGE = re.compile(r"^\s*(-?\d+)\s*([dhw])\s*$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_age(option, text):
    """``"90d"`` → ``timedelta(days=90)``; CommandError naming ``option`` for anything else."""
    match = _AGE.match(text or "")
    if not match:
        raise CommandError(
            f"{option} {text!r}: give a whole number of days, hours or weeks (90d, 36h, 12w); nothing was deleted."
        )
    amount = int(match[1])
    if amount <= 0:
        raise CommandError(f"{option} {text!r}: the age must be more than zero; nothing was deleted.")
    return amount * _UNITS[match[2]]


class _DryRun(Exception):
    """Raised to roll the transaction back after counting."""


class Command(BaseCommand):
    help = "Remove old change-feed rows, finished webhook deliveries and invalidation-log rows."

    def add_arguments(self, parser):
        parser.add_argument("--changes-older-than", metavar="AGE", help="e.g. 90d; at least SYNC_CURSOR_MIN_DAYS.")
        parser.add_argument("--deliveries-older-than", metavar="AGE", help="finished webhook deliveries, e.g. 30d")
        parser.add_argument("--invalidations-older-than", metavar="AGE", help="invalidation log, e.g. 7d (1d at least)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")

    def handle(self, *args, **options):
        ages = {
            name: parse_age(f"--{name.replace('_', '-')}", options[name])
            for name in ("changes_older_than", "deliveries_older_than", "invalidations_older_than")
            if options[name] is not None
        }
        if not ages:
            raise CommandError(
                "Name at least one of --changes-older-than, --deliveries-older-than, --invalidations-older-than."
            )
        promise = timedelta(days=delivery_retention.min_days())
        if ages.get("changes_older_than", promise) < promise:
            raise CommandError(
                f"--changes-older-than {options['changes_older_than']}: sync cursors are honoured for "
                f"{promise.days} days (SYNC_CURSOR_MIN_DAYS); keep changes at least that long. Nothing was deleted."
            )
        if ages.get("invalidations_older_than", timedelta(days=1)) < timedelta(days=api_retention.MIN_DAYS):
            raise CommandError(
                f"--invalidations-older-than {options['invalidations_older_than']}: keep the invalidation log "
                f"at least {api_retention.MIN_DAYS} day; nothing was deleted."
            )
        now = timezone.now()
        report = []
        try:
            with transaction.atomic():
                if "changes_older_than" in ages:
                    removed = delivery_retention.prune_changes(now - ages["changes_older_than"])
                    report.append(f"{removed} change rows")
                if "deliveries_older_than" in ages:
                    removed = delivery_retention.prune_deliveries(now - ages["deliveries_older_than"])
                    report.append(f"{removed} webhook deliveries")
                if "invalidations_older_than" in ages:
                    rows, states = api_retention.prune_invalidations(now - ages["invalidations_older_than"])
                    report.append(f"{rows} invalidation-log rows, {states} tag times")
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Would remove " + ", ".join(report) + " (dry run: nothing removed).")
            return
        self.stdout.write("Removed " + ", ".join(report) + ".")
