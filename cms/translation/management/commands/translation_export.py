"""Export translator packages for CAT tools.

Why: translators who work in their own tools (Trados, memoQ, Poedit, Weblate) need the
whole site, or a subtree, in one file per locale, with the context the admin's
translation editor would show them.

    manage.py translation_export --locale fr --locale de --format xliff2 --scope untranslated --out fr-de.zip

A scope with nothing in it is an error (exit status 1, nothing written): an XLIFF file
must hold at least one unit.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from cms.translation.management.translator_option import add_user_argument, translator
from cms.translation.packages.collect import SCOPES, resolve_root
from cms.translation.packages.export import FORMATS, export_packages, write_atomically


class Command(BaseCommand):
    help = "Write XLIFF 2.0, XLIFF 1.2 or PO translation packages: one file per locale, a zip for several."

    def add_arguments(self, parser):
        parser.add_argument("--locale", action="append", required=True, help="Target locale code; repeat for several.")
        parser.add_argument("--format", choices=sorted(FORMATS), default="xliff2")
        parser.add_argument("--scope", choices=SCOPES, default="all", help="all, untranslated or stale segments.")
        parser.add_argument("--root", help="Translation key (or id) of a page: export only its subtree.")
        parser.add_argument("--out", required=True, help="File to write (written to a temporary name, then renamed).")
        add_user_argument(parser)

    def handle(self, *args, locale, format, scope, root, out, user, **options):
        translator(user, Locale.objects.filter(language_code__in=locale))
        try:
            root_page = resolve_root(root) if root else None
            export = export_packages(locale, format, scope=scope, root=root_page)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for code in export.empty_locales:
            self.stderr.write(f"{code}: nothing in the scope “{scope}”; left out of the zip.")
        if len(locale) > 1 and not out.endswith(".zip"):
            self.stderr.write(f"Several locales are exported as a zip archive; {out} is a zip file.")
        try:
            write_atomically(out, export.data)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stdout.write(f"Wrote {out} ({len(export.data)} bytes, {export.name}).")
