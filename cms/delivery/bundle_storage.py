"""Publishing an export bundle to the ``bundles`` storage: a bucket, or a folder.

A bucket has no atomic rename, so a bundle cannot be swapped in the way
``atomic_dir`` swaps a folder. Instead each publish uploads its files under a new
*generation* folder, then ``manifest.json`` at the top, last. The manifest names each
page file by its path from the manifest (``<generation>/fr/pages/<key>.json``) and
says its ``generation``, under which each locale's ``index.json`` lies. A reader
starting from the manifest therefore always finds a whole bundle: the one before
(while this one uploads, or if the upload fails half-way) or this one. The previous
generation stays for readers still busy with it; older ones, and any a failed run left
behind, are removed after the new manifest is in place.

    storage/
      manifest.json                       written last
      20261201T101500123456Z-1a2b3c/      this bundle's files
      20261201T090000654321Z-4d5e6f/      the previous bundle, kept for readers mid-way
      madrid/manifest.json, madrid/2026…/ a clinic's bundles, the same way under its code

The hub's default site publishes at the top; every other clinic under its code
(``cms.api.sites``), so each app reads its own clinic's manifest.
"""

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from cms.api import sites
from cms.storage.errors import storage_calls

from .bundles import ExportSummary, check_locales, json_bytes, write_bundle

MANIFEST = "manifest.json"
GENERATION = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{6}$")


def publish_bundle(locales=None, *, storage=None, progress=None):
    """Build a bundle and publish it to ``storage`` (default: the "bundles" storage).

    Raises StorageUnavailable when the storage fails; the bundle published before stays
    the one the manifest names.
    """
    started = time.monotonic()
    storage = storage or storages["bundles"]
    locales = check_locales(locales)
    folder = site_folder()
    summary = ExportSummary(out=folder + MANIFEST, locales=locales)
    generation = f"{timezone.now():%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(3)}"
    with tempfile.TemporaryDirectory(prefix="cms-bundle-") as workspace, storage_calls():
        root = Path(workspace)
        previous = current_generation(storage, folder)
        manifest = write_bundle(root, locales, progress=progress, summary=summary)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path != root / MANIFEST:
                with path.open("rb") as handle:
                    storage.save(f"{folder}{generation}/{path.relative_to(root).as_posix()}", File(handle))
        manifest["generation"] = generation
        for entry in manifest["pages"]:
            for copy in entry["locales"].values():
                copy["file"] = f"{generation}/{copy['file']}"
        _replace_manifest(storage, json_bytes(manifest), folder)
        _remove_generations(storage, keep={generation, previous}, folder=folder)
        summary.out = storage.url(folder + MANIFEST)
    summary.seconds = time.monotonic() - started
    return summary


def site_folder():
    """Where the clinic being exported publishes: ``""`` for the hub's default site, else ``<code>/``."""
    scope = sites.current()
    return "" if scope is None or scope.is_default else f"{scope.code}/"


def current_generation(storage, folder=""):
    """The generation the storage's manifest names, or None."""
    try:
        with storage.open(folder + MANIFEST, "rb") as handle:
            return json.load(handle).get("generation")
    except (FileNotFoundError, ValueError, AttributeError):
        return None


def _replace_manifest(storage, data, folder=""):
    try:
        target = storage.path(folder + MANIFEST)
    except NotImplementedError:
        # Object storage: one PUT over the old object; readers see the old one or the new one.
        storage.save(folder + MANIFEST, ContentFile(data))
        return
    partial = storage.save(f"{folder}.{MANIFEST}.partial", ContentFile(data))
    os.replace(storage.path(partial), target)


def _remove_generations(storage, keep, folder=""):
    folders, _files = storage.listdir(folder)
    for name in folders:
        if GENERATION.match(name) and name not in keep:
            _remove_tree(storage, folder + name)


def _remove_tree(storage, folder):
    try:
        shutil.rmtree(storage.path(folder))
        return
    except NotImplementedError:
        pass
    folders, files = storage.listdir(folder)
    for name in files:
        storage.delete(f"{folder}/{name}")
    for name in folders:
        _remove_tree(storage, f"{folder}/{name}")
