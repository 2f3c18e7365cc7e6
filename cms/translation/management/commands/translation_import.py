"""Import a translator's package (XLIFF 2.0, XLIFF 1.2 or PO) back into wagtail-localize.

Why: a package comes back from a CAT tool; this checks every unit (known segment,
markup, placeholders, numbers, length) and applies the file all or nothing. Try it
with --dry-run first: it prints the diff and changes nothing.

    manage.py translation_import translations-fr-all.xlf --dry-run
    manage.py translation_import translations-fr-all.xlf --publish --user amelie
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.translation.management.translator_option import add_user_argument, translator
from cms.translation.packages.importer import PackageRejected, apply_import, max_package_bytes, plan_import


class Command(BaseCommand):
    help = "Check and import a translation package; --dry-run shows the diff without changing anything."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The XLIFF or PO file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and print the diff; change nothing.")
        parser.add_argument("--publish", action="store_true", help="Publish the updated pages (default: save drafts).")
        parser.add_argument("--locale", help="Refuse the file unless it is for this locale.")
        add_user_argument(parser)

    def handle(self, *args, file, dry_run, publish, locale, user, **options):
        try:
            with open(file, "rb") as handle:
                # Read one byte past the limit so an oversized file is caught without loading all of it.
                data = handle.read(max_package_bytes() + 1)
                size = os.fstat(handle.fileno()).st_size
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            plan = plan_import(data, expected_locale=locale, size=size)
        except ValidationError as exc:
            raise CommandError(f"{file}: " + " ".join(exc.messages)) from exc
        user = translator(user, [plan.locale])

        for change in plan.changes:
            review = "  (marked for review: saved as a draft, never published)" if change.needs_review else ""
            self.stdout.write(f"{change.unit_id}  {change.page_title} / {change.field_path}{review}")
            self.stdout.write(f"  - {change.old}")
            self.stdout.write(f"  + {change.new}")
        for rejection in plan.rejections:
            self.stderr.write(f"REJECTED {rejection.where}: {rejection.reason}")
        for held in plan.held:
            self.stdout.write(
                f"HELD {held.page_title} / {held.field_path}: {held.reason} "
                "(failed a check: the live copy keeps its text until it is fixed or a reviewer accepts it)"
            )
        summary = (
            f"{plan.locale.language_code}: {len(plan.changes)} changed ({plan.needs_review} marked for review, "
            f"saved as drafts only), {plan.unchanged} unchanged, "
            f"{plan.kept} blank (existing translation kept), {len(plan.rejections)} rejected."
        )
        if not plan.ok:
            raise CommandError(f"{summary} The file has errors; nothing was imported.")
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing was changed.")
            return
        try:
            updated = apply_import(plan, user=user, publish=publish)
        except PackageRejected as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        state = "published" if publish else "saved as drafts"
        drafts_only = " Units marked for review went into drafts only." if publish and plan.needs_review else ""
        self.stdout.write(f"{summary} {len(updated)} page(s) {state}.{drafts_only}")
