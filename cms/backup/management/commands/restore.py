"""Restore a folder written by ``backup`` into this deployment's database and media.

Why: a backup is only worth what a restore gives back. It refuses to overwrite a
database or media storage that already holds something unless told ``--force``, and
checks the whole backup before changing anything. Stop the web and worker processes
first; start them again after (their caches belong to the database that was there).

    manage.py restore --from backups/2026-12-01
    manage.py restore --from backups/2026-12-01 --force   # replace what is there
"""

from django.core.management.base import BaseCommand, CommandError

from cms.backup.archive import BackupError, restore_backup
from cms.storage.errors import StorageUnavailable


class Command(BaseCommand):
    help = "Restore the database and the media from a backup folder (refuses a non-empty target without --force)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="Backup folder written by `backup`.")
        parser.add_argument("--force", action="store_true", help="Replace the database and media that are there.")

    def handle(self, *args, source, force=False, **options):
        try:
            manifest = restore_backup(source, force=force)
        except (BackupError, StorageUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {len(manifest['media'])} media files from {source} "
                f"(backed up {manifest['created_at']}). Empty the Redis cache (or change CACHE_KEY_PREFIX) "
                "before starting the servers."
            )
        )
