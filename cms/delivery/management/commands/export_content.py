"""Export every live page, per locale, as an offline bundle for apps and static hosts.

Why: a mobile app ships content inside the app and updates it in the background; a
static host serves the same JSON as the API without running Django. See
``cms.delivery.bundles`` for the layout.

    manage.py export_content --out export/
    manage.py export_content --out export/ --locale fr --locale de --zip export.zip
    manage.py export_content --out export/ --incremental
    manage.py export_content --storage        # to the "bundles" storage (object storage when configured)
    manage.py export_content --out export-madrid/ --site madrid   # one clinic's bundle

Each bundle is one clinic's: ``--site`` names it by its code (Clinics in the admin);
without it, the hub's default site. With ``--storage``, a clinic other than the default
site's is published under its code (``madrid/manifest.json``).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cms.api import sites
from cms.api.errors import PageNotFound
from cms.delivery.bundle_storage import publish_bundle
from cms.delivery.bundles import BundleError, export_bundle
from cms.storage.errors import StorageUnavailable


class Command(BaseCommand):
    help = "Write every live page of each locale, an index per locale and a manifest to a folder (atomically)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--out", help="Folder to write the bundle to; replaced atomically.")
        where.add_argument(
            "--storage",
            action="store_true",
            help="Publish to the bundles storage (a bucket when configured): the pages first, the manifest last.",
        )
        parser.add_argument(
            "--locale",
            action="append",
            dest="locales",
            metavar="LOCALE",
            help="Export only this locale (repeat for several). Default: every locale the site serves.",
        )
        parser.add_argument(
            "--site",
            metavar="CODE",
            help="The clinic to export, by its code (e.g. madrid). Default: the hub's default site.",
        )
        parser.add_argument("--zip", dest="zip_path", metavar="FILE", help="Also write the bundle as a zip file.")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Reuse the files of the bundle already at --out for pages that have not changed.",
        )

    def handle(
        self, *args, out=None, storage=False, locales=None, zip_path=None, incremental=False, site=None, **options
    ):
        if storage and (zip_path or incremental):
            raise CommandError("--zip and --incremental apply to --out folders only.")
        scope = self._scope(site)
        # The bar goes to stderr, and only on a terminal: logs and pipes get the summary alone.
        progress = tqdm(total=0, unit="page", desc="Exporting", file=sys.stderr, disable=not sys.stderr.isatty())
        try:
            with sites.scoped(scope):
                summary = self._export(storage, out, locales, incremental, zip_path, progress)
        finally:
            progress.close()
        for note in summary.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(str(summary)))
        if zip_path:
            self.stdout.write(f"Zip: {zip_path}")

    @staticmethod
    def _scope(code):
        if code is None:
            return sites.default_scope()
        try:
            return sites.parse_site_param(code)
        except PageNotFound:
            codes = ", ".join(sorted(scope.code for scope in sites.every_scope()))
            raise CommandError(f"--site {code}: no clinic of this hub has that code. Codes: {codes}.") from None

    def _export(self, storage, out, locales, incremental, zip_path, progress):
        try:
            if storage:
                return publish_bundle(locales, progress=progress)
            else:
                return export_bundle(out, locales, incremental=incremental, zip_path=zip_path, progress=progress)
        except StorageUnavailable as exc:
            raise CommandError(
                f"Export failed, the bundle published before is unchanged: the storage did not answer ({exc})."
            ) from exc
        except BundleError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                f"Export failed, the previous bundle at {out} is unchanged: {exc.strerror or exc} "
                f"({exc.filename or out})."
            ) from exc
