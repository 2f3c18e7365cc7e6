"""Back up the database (pg_dump -Fc) and the media into a new folder.

Why: an operator must be able to bring a clinic's content back after a mistake or a lost
server; ``restore`` reads this folder. See ``cms.backup.archive`` for what is in it.

    manage.py backup --out backups/2026-12-01
"""

from django.core.management.base import BaseCommand, CommandError

from cms.backup.archive import BackupError, create_backup
from cms.storage.errors import StorageUnavailable


class Command(BaseCommand):
    help = "Dump the PostgreSQL database and copy every media file into a new backup folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="New (or empty) folder to write the backup to.")

    def handle(self, *args, out, **options):
        try:
            manifest = create_backup(out)
        except (BackupError, StorageUnavailable) as exc:
            raise CommandError(f"No backup was written: {exc}") from exc
        files = len(manifest["media"])
        self.stdout.write(self.style.SUCCESS(f"Backed up the database and {files} media files to {out}."))
