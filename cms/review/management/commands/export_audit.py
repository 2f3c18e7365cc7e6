"""Export the medical sign-off audit trail, for a regulator or an archive.

    manage.py export_audit --page <key> --market fr-FR --format csv > trail.csv

Every record with its hash and the previous record's hash, so the reader can check
the chain themselves (SHA-256 of the canonical JSON of the record's fields).
"""

import csv
import io
import json
import uuid

from django.core.management.base import BaseCommand, CommandError

from cms.review.audit import EXPORT_FIELDS, as_row, trail
from cms.review.models import Market


class Command(BaseCommand):
    help = "Export the medical sign-off audit trail as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--page", help="A page's translation key (the API's key): only its records.")
        parser.add_argument("--market", help="A market code, e.g. fr-FR: only its records.")
        parser.add_argument("--format", choices=["csv", "json"], default="json")

    def handle(self, *args, page=None, market=None, format="json", **options):
        if page:
            try:
                page = str(uuid.UUID(page))
            except ValueError:
                raise CommandError(f"--page '{page}' is not a page key (a UUID).") from None
        if market and not Market.objects.filter(code=market).exists():
            known = ", ".join(Market.objects.values_list("code", flat=True))
            raise CommandError(f"--market '{market}' is not a market; known: {known}.")
        rows = [as_row(record) for record in trail(page_key=page, market=market)]
        if format == "json":
            self.stdout.write(json.dumps({"records": rows}, ensure_ascii=False, indent=2))
            return
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "details": json.dumps(row["details"], ensure_ascii=False, sort_keys=True)})
        self.stdout.write(buffer.getvalue(), ending="")
