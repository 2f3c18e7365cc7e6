"""Exchange a locale pair's glossary (termbase) with CAT tools as TBX or CSV.

    manage.py translation_glossary --export tbx --target fr --out glossary-en-fr.tbx
    manage.py translation_glossary --export csv --target fr
    manage.py translation_glossary --import glossary-en-fr.tbx [--target fr]
    manage.py translation_glossary --demo      # the microneedling demo's terms

An import is all or nothing: a malformed, oversized or wrong-pair file changes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from cms.translation import glossary
from cms.translation.files import read_upload
from cms.translation.packages.export import write_atomically

from .translation_memory import locale_option

WRITERS = {"tbx": glossary.to_tbx, "csv": glossary.to_csv}


class Command(BaseCommand):
    help = "Export or import a locale pair's glossary as TBX or CSV, or load the demo's terms."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", choices=sorted(WRITERS), help="Write the glossary of one locale pair.")
        action.add_argument("--import", dest="import_path", metavar="FILE", help="Read a TBX or CSV glossary.")
        action.add_argument("--demo", action="store_true", help="Add the microneedling demo's terms.")
        parser.add_argument("--source", help="Source locale (default: the site's default locale).")
        parser.add_argument("--target", help="Target locale; required for --export, checked on --import.")
        parser.add_argument("--out", help="File to write (default: glossary-<source>-<target>.<format>).")

    def handle(self, *args, export=None, import_path=None, demo=False, source=None, target=None, out=None, **opts):
        source_locale = locale_option(source) if source else Locale.get_default()
        target_locale = locale_option(target) if target else None
        if demo:
            self.stdout.write(f"{glossary.load_demo_terms(source_locale)} demo terms in the glossary.")
            return
        if export:
            if target_locale is None:
                raise CommandError("--export needs --target, e.g. --target fr.")
            path = out or f"glossary-{source_locale.language_code}-{target_locale.language_code}.{export}"
            write_atomically(path, WRITERS[export](source_locale, target_locale))
            self.stdout.write(f"Wrote {path}.")
            return
        try:
            data = read_upload(import_path, "glossary file")
            count = glossary.import_glossary(data, source_locale if source else None, target_locale)
        except OSError as exc:
            raise CommandError(f"Cannot read {import_path}: {exc.strerror}.") from exc
        except ValidationError as exc:
            raise CommandError(f"{import_path} was refused; nothing changed. {' '.join(exc.messages)}") from exc
        self.stdout.write(f"Imported {count} terms from {import_path}.")
