"""Export bundles: every live page of each locale, as files an app can ship offline.

Layout of a bundle folder::

    manifest.json               API version, generation time, locales, change cursor,
                                and per page: key, type and, per locale, path,
                                revision, served locale and sha256 of the file
    <locale>/index.json         that locale's pages: key, type, title, path, file
    <locale>/pages/<key>.json   the page exactly as GET /api/v1/pages/<key>/?locale=
                                returns it (same bytes)

A bundle is one clinic's (``export_content --site``, the export endpoint's ``?site=``
or Host, the hub's default site otherwise): its pages in its locales, clinic pages
merged with the library pages they show; the manifest names the clinic in ``site``.

The manifest's ``cursor`` is where the change feed stood when the export started: an
app that ships a bundle continues with ``/api/v1/sync/?site=…&locale=…&cursor=…`` and
misses nothing. ``--incremental`` reuses the previous bundle's files for pages that have not
changed since that cursor and renders only the rest.
"""

import hashlib
import json
import os
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cms.api import sites
from cms.api.cursors import BadCursor, Cursor, start_cursor
from cms.api.revisions import revision_of
from cms.api.site_index import site_index

from . import atomic_dir
from .incremental import stale_keys
from .models import ContentChange
from .retention import CursorExpired, check_cursor
from .serving import render, served_in, served_locales

BUNDLE_FORMAT = 1
API_VERSION = "v1"


class BundleError(Exception):
    """A reason the export cannot run, worded for the person who ran it."""


@dataclass
class ExportSummary:
    out: Path
    locales: list
    pages: int = 0
    files: int = 0
    rendered: int = 0
    reused: int = 0
    seconds: float = 0.0
    incremental: bool = False
    notes: list = field(default_factory=list)
    site: str | None = field(default_factory=lambda: site_code())

    def __str__(self):
        how = f"{self.rendered} rendered, {self.reused} unchanged" if self.incremental else f"{self.rendered} rendered"
        site = f" (site {self.site})" if self.site else ""
        return (
            f"Exported {self.pages} pages in {len(self.locales)} locales ({', '.join(self.locales)}): "
            f"{self.files} page files, {how}, to {self.out} in {self.seconds:.1f} s{site}."
        )


def check_locales(requested):
    """The locales to export: those asked for (validated), or every served one."""
    served = served_locales()
    if not requested:
        return served
    unknown = [code for code in requested if code not in served]
    if unknown:
        raise BundleError(
            f"Unknown locale {', '.join(repr(code) for code in unknown)}: this site serves {', '.join(served)}."
        )
    return list(dict.fromkeys(requested))


def check_destination(out):
    out = Path(out).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise BundleError(f"--out {out} is a file, not a folder.")
    if not out.parent.is_dir():
        raise BundleError(f"Cannot write to --out {out}: its parent folder {out.parent} does not exist.")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise BundleError(f"Cannot write to --out {out}: no permission to write in {out.parent}.")
    return out


def site_code():
    """The code of the clinic being exported (``cms.api.sites``), or None on a hub without sites."""
    scope = sites.current()
    return scope.code if scope is not None else None


def manifest_header(locales, cursor):
    return {
        "format": BUNDLE_FORMAT,
        "api_version": API_VERSION,
        "schema_version": settings.SPECTACULAR_SETTINGS.get("VERSION", ""),
        "generated_at": timezone.now().isoformat(),
        "site": site_code(),
        "locales": locales,
        "cursor": str(cursor),
    }


def previous_bundle(out, locales):
    """(manifest, keys to render again) of the bundle at ``out``, or (None, None)."""
    try:
        manifest = json.loads((out / "manifest.json").read_text())
        since = Cursor.parse(manifest["cursor"])
        check_cursor(since)  # changes after it were pruned: render everything again
    except (OSError, ValueError, KeyError, TypeError, BadCursor, CursorExpired):
        return None, None
    if (
        manifest.get("format"),
        manifest.get("api_version"),
        manifest.get("schema_version"),
        manifest.get("site"),
    ) != (BUNDLE_FORMAT, API_VERSION, settings.SPECTACULAR_SETTINGS.get("VERSION", ""), site_code()):
        return None, None
    manifest["pages"] = {entry["key"]: entry for entry in manifest.get("pages", [])}
    return manifest, stale_keys(since, manifest["pages"])


def _reusable_body(previous, changed, old_root, key, locale, page):
    """The previous bundle's bytes for this page, if it is still what would be served."""
    if previous is None or key in changed:
        return None
    entry = previous["pages"].get(key, {}).get("locales", {}).get(locale)  # pages by key, see previous_bundle
    revision = revision_of(page, row=site_index().by_id.get(page.pk))
    if not entry or entry.get("revision") != revision or entry.get("locale") != page.locale.language_code:
        return None
    try:
        body = (old_root / entry["file"]).read_bytes()
    except OSError:
        return None
    return body if hashlib.sha256(body).hexdigest() == entry["sha256"] else None


def write_bundle(root, locales, *, previous=None, changed=None, old_root=None, progress=None, summary=None):
    """Write every locale's pages, indexes and the manifest into the empty folder ``root``."""
    cursor = start_cursor(ContentChange)  # before reading pages: changes from now on are in the feed
    manifest = manifest_header(locales, cursor)
    served = {locale: served_in(locale) for locale in locales}
    if progress is not None:
        progress.reset(total=sum(len(pages) for pages in served.values()))
    pages = {}
    for locale in locales:
        (root / locale / "pages").mkdir(parents=True)
        index = []
        for key, page in sorted(served[locale].items(), key=lambda item: str(item[0])):
            key = str(key)
            body = _reusable_body(previous, changed, old_root, key, locale, page)
            if body is None:
                body = render(page, locale, use_cache=False)
                summary.rendered += 1
            else:
                summary.reused += 1
            file = f"{locale}/pages/{key}.json"
            (root / file).write_bytes(body)
            data = json.loads(body)
            digest = hashlib.sha256(body).hexdigest()
            entry = pages.setdefault(key, {"key": key, "type": data["type"], "locales": {}})
            entry["locales"][locale] = {
                "path": data["path"],
                "revision": data["meta"]["revision"],
                "locale": data["locale"],
                "fallback": data["fallback"],
                "parent": (data.get("parent") or {}).get("key"),
                "file": file,
                "sha256": digest,
            }
            index.append(
                {
                    "key": key,
                    "type": data["type"],
                    "title": data["title"],
                    "path": data["path"],
                    "locale": data["locale"],
                    "fallback": data["fallback"],
                    "parent": data.get("parent"),
                    "revision": data["meta"]["revision"],
                    "file": f"pages/{key}.json",
                    "sha256": digest,
                }
            )
            summary.files += 1
            if progress is not None:
                progress.update()
        index.sort(key=lambda item: (item["path"] or "", item["key"]))
        _write_json(root / locale / "index.json", {"locale": locale, "count": len(index), "pages": index})
    manifest["pages"] = [pages[key] for key in sorted(pages)]
    summary.pages = len(pages)
    # The manifest goes last: a folder with a manifest is a complete bundle.
    _write_json(root / "manifest.json", manifest)
    return manifest


def json_bytes(data):
    """A manifest or index as the bundle stores it."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _write_json(path, data):
    path.write_bytes(json_bytes(data))


def check_zip_path(zip_path):
    zip_path = Path(zip_path).expanduser().resolve()
    if zip_path.is_dir():
        raise BundleError(f"--zip {zip_path} is a folder; name the zip file to write.")
    if not zip_path.parent.is_dir() or not os.access(zip_path.parent, os.W_OK | os.X_OK):
        raise BundleError(f"Cannot write --zip {zip_path}: {zip_path.parent} is missing or not writable.")
    return zip_path


def zip_folder(root, zip_path):
    """Zip ``root`` to ``zip_path`` through a temporary file renamed into place."""
    zip_path = check_zip_path(zip_path)
    partial = zip_path.with_name(f".{zip_path.name}.partial-{os.getpid()}")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())
        os.replace(partial, zip_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return zip_path


def export_bundle(out, locales=None, *, incremental=False, zip_path=None, progress=None):
    """Build a bundle of the clinic being read (``sites.scoped``) and swap it into ``out``;
    returns an :class:`ExportSummary`.

    Nothing at ``out`` changes unless the whole bundle (and the zip, if asked for) was
    written: a crash, an interrupt or a full disk leaves the previous bundle as it was.
    """
    started = time.monotonic()
    locales = check_locales(locales)
    out = check_destination(out)
    if zip_path:
        check_zip_path(zip_path)
    summary = ExportSummary(out=out, locales=locales, incremental=incremental)
    previous, changed = previous_bundle(out, locales) if incremental else (None, None)
    if incremental and previous is None:
        summary.notes.append("No usable previous bundle at --out: exported everything.")
    for stale in atomic_dir.leftovers(out):
        atomic_dir.remove_quietly(stale)  # an earlier run was killed mid-way
    staging = atomic_dir.staging_dir(out)
    try:
        write_bundle(
            staging, locales, previous=previous, changed=changed, old_root=out, progress=progress, summary=summary
        )
        if zip_path:
            zip_folder(staging, zip_path)
        atomic_dir.replace_dir(staging, out)
    except BaseException:
        atomic_dir.remove_quietly(staging)
        raise
    summary.seconds = time.monotonic() - started
    return summary
