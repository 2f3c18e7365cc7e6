"""Check the medical sign-off audit trail: every record unchanged, none missing.

Exits with status 1 and names each break when a record was changed or deleted.
"""

from django.core.management.base import BaseCommand, CommandError

from cms.review.audit import verify
from cms.review.models import AuditRecord


class Command(BaseCommand):
    help = "Verify the hash chain of the medical sign-off audit trail."

    def handle(self, *args, **options):
        problems = verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"record {problem.seq}: {problem.message}")
            raise CommandError(f"The audit trail was tampered with: {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact ({AuditRecord.objects.count()} records)."))
