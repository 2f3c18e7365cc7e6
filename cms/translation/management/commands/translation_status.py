"""``manage.py translation_status``: how far every page is translated, per locale.

For release managers and CI: a table to read, or JSON to feed a dashboard. The same
figures as the admin's "Translation status" report and the API's page ``meta``, with
where each page stands in medical review: "Source review" for the page translated,
"Review" for its translation (approved, needs_re_review, not_reviewed; "-" for a page
that needs none or does not exist yet).

    manage.py translation_status                  every page into every other locale
    manage.py translation_status --locale fr      French only (repeat for more)
    manage.py translation_status --format json
    manage.py translation_status --check          exit 1 unless every translation is complete
    manage.py translation_status --show-stale     list each stale segment: new text, old text, old translation
"""

import json

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from cms.translation.status import stale_segments, status_rows

COLUMNS = (
    "Page",
    "Locale",
    "State",
    "Done",
    "Translated",
    "Stale",
    "Machine",
    "Total",
    "Source review",
    "Review",
    "Last change",
)


class Command(BaseCommand):
    help = "Show the translation status of every page in every locale (or the ones given)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale",
            action="append",
            dest="locales",
            metavar="CODE",
            help="Only this target locale (language code, e.g. fr); repeat for more.",
        )
        parser.add_argument("--format", choices=("table", "json"), default="table", help="Output format.")
        parser.add_argument(
            "--show-stale",
            action="store_true",
            help="Under each page with stale segments, list them (table format only).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error when any page is not completely translated (stale, incomplete or missing).",
        )

    def handle(self, *args, locales=None, format="table", check=False, show_stale=False, **options):
        rows = status_rows(locales=self._target_locales(locales))
        if format == "json":
            self.stdout.write(json.dumps([row.as_dict() for row in rows], indent=2))
        else:
            self._write_table(rows)
            if show_stale:
                self._write_stale(rows)
        unfinished = [row for row in rows if not row.status.is_complete]
        if check and unfinished:
            raise CommandError(f"{len(unfinished)} of {len(rows)} page translations are not complete.")

    def _write_stale(self, rows):
        for row in rows:
            if not row.status.stale:
                continue
            source = TranslationSource.objects.get_for_instance(row.page)
            self.stdout.write(f"\nStale in {row.page.title} ({row.status.locale}):")
            for segment in stale_segments(source, row.status.locale):
                self.stdout.write(f"  {segment.location}")
                self.stdout.write(f"    now:         {segment.source_text}")
                self.stdout.write(f"    was:         {segment.previous.source_text}")
                self.stdout.write(f"    translation: {segment.previous.text}")

    def _target_locales(self, codes):
        if not codes:
            return None
        default = Locale.get_default()
        known = {locale.language_code: locale for locale in Locale.objects.exclude(pk=default.pk)}
        wanted = [code.strip() for code in codes]
        unknown = [code for code in wanted if code not in known]
        if default.language_code in unknown:
            raise CommandError(
                f"{default.language_code} is the source locale: pages are written in it, not translated into it. "
                f"Choose from: {', '.join(sorted(known))}."
            )
        if unknown:
            raise CommandError(
                f"Unknown locale {', '.join(repr(code) for code in unknown)}. Choose from: {', '.join(sorted(known))}."
            )
        return [known[code] for code in dict.fromkeys(wanted)]

    def _write_table(self, rows):
        lines = [COLUMNS]
        for row in rows:
            status = row.status
            lines.append(
                (
                    "  " * (row.page.depth - 2) + row.page.title,
                    status.locale,
                    status.state,
                    f"{status.percent}%",
                    str(status.translated),
                    str(status.stale),
                    str(status.machine),
                    str(status.total),
                    row.source_review or "-",
                    status.review or "-",
                    status.last_change.strftime("%Y-%m-%d %H:%M") if status.last_change else "-",
                )
            )
        widths = [max(len(line[index]) for line in lines) for index in range(len(COLUMNS))]
        for line in lines:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if len(lines) == 1:
            self.stdout.write("No pages to report.")
