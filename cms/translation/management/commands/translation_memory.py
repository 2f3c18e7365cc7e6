"""Exchange the translation memory with CAT tools as TMX 1.4b.

    manage.py translation_memory --export tmx --target fr --out memory-en-fr.tmx
    manage.py translation_memory --import memory-en-fr.tmx [--target fr]
    manage.py translation_memory --rebuild     # refill from every human translation stored

One file holds one locale pair (the source locale defaults to the site's default). An
import is all or nothing: a malformed, oversized or wrong-pair file changes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from cms.translation import memory, tmx
from cms.translation.files import read_upload
from cms.translation.packages.export import write_atomically


def locale_option(code):
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        known = ", ".join(Locale.objects.order_by("language_code").values_list("language_code", flat=True))
        raise CommandError(f"Unknown locale {code!r}. Choose from: {known}.")
    return locale


class Command(BaseCommand):
    help = "Export or import the translation memory as TMX 1.4b, or rebuild it from stored translations."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", choices=["tmx"], help="Write the memory of one locale pair.")
        action.add_argument("--import", dest="import_path", metavar="FILE", help="Read a TMX file into the memory.")
        action.add_argument("--rebuild", action="store_true", help="Refill from every human translation stored.")
        parser.add_argument("--source", help="Source locale (default: the site's default locale).")
        parser.add_argument("--target", help="Target locale; required for --export, checked on --import.")
        parser.add_argument("--out", help="File to write (default: memory-<source>-<target>.tmx).")

    def handle(self, *args, export=None, import_path=None, rebuild=False, source=None, target=None, out=None, **opts):
        source_locale = locale_option(source) if source else Locale.get_default()
        target_locale = locale_option(target) if target else None
        if rebuild:
            self.stdout.write(f"Remembered {memory.rebuild()} translations.")
            return
        if export:
            if target_locale is None:
                raise CommandError("--export needs --target, e.g. --target fr.")
            path = out or f"memory-{source_locale.language_code}-{target_locale.language_code}.tmx"
            write_atomically(path, tmx.to_tmx(source_locale, target_locale))
            self.stdout.write(f"Wrote {path}.")
            return
        try:
            data = read_upload(import_path, "TMX file")
            count = tmx.import_tmx(data, source_locale if source else None, target_locale)
        except OSError as exc:
            raise CommandError(f"Cannot read {import_path}: {exc.strerror}.") from exc
        except ValidationError as exc:
            raise CommandError(f"{import_path} was refused; nothing changed. {' '.join(exc.messages)}") from exc
        self.stdout.write(f"Imported {count} translation units from {import_path}.")
