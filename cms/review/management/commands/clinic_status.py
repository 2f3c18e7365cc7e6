"""``manage.py clinic_status``: every clinic page against the library page it shows.

For a clinic's editors and release checks: which clinic pages show a library page that
was published again since they were last checked (“library changed”), which show a
library page whose medical approval was voided (``needs_re_review``: the clinic serves
the library's approval), and which show no public library page at all. Fix the first
by saving the clinic page or “Mark as reviewed” in its edit screen.

    manage.py clinic_status                  every clinic page of every clinic
    manage.py clinic_status --site madrid    one clinic's
    manage.py clinic_status --format json
    manage.py clinic_status --check          exit 1 when any clinic page is flagged
"""

import json

from django.core.management.base import BaseCommand, CommandError

from cms.api import sites
from cms.api.errors import PageNotFound
from cms.review.library import statuses

COLUMNS = ("Site", "Page", "Locale", "Library page", "Changes", "Medical review", "Flags")


class Command(BaseCommand):
    help = "List every clinic page with the library page it shows and its flags (library changed, needs re-review)."

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="CODE", help="Only this clinic's pages, by its code (e.g. madrid).")
        parser.add_argument("--format", choices=("table", "json"), default="table", help="Output format.")
        parser.add_argument("--check", action="store_true", help="Exit with an error when any clinic page is flagged.")

    def handle(self, *args, site=None, format="table", check=False, **options):
        scope = None
        if site is not None:
            try:
                scope = sites.parse_site_param(site)
            except PageNotFound:
                codes = ", ".join(sorted(found.code for found in sites.every_scope()))
                raise CommandError(f"--site {site}: no clinic of this hub has that code. Codes: {codes}.") from None
        rows = statuses(scope)
        if format == "json":
            self.stdout.write(json.dumps([row.as_dict() for row in rows], indent=2))
        else:
            self._write_table(rows)
        flagged = [row for row in rows if row.flags]
        if check and flagged:
            raise CommandError(f"{len(flagged)} of {len(rows)} clinic pages are flagged.")

    def _write_table(self, rows):
        lines = [COLUMNS]
        for row in rows:
            library = row.library
            lines.append(
                (
                    row.site or "-",
                    row.page.title,
                    row.page.locale.language_code,
                    f"{library.title} ({library.locale.language_code})" if library is not None else "-",
                    ", ".join(row.overrides) or "-",
                    row.medical_review,
                    ", ".join(row.flags) or "-",
                )
            )
        widths = [max(len(line[index]) for line in lines) for index in range(len(COLUMNS))]
        for line in lines:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if len(lines) == 1:
            self.stdout.write("No clinic pages.")
