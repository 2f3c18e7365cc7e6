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
    summary = ExportSummary(out=MANIFEST, locales=locales)
    generation = f"{timezone.now():%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(3)}"
    with tempfile.TemporaryDirectory(prefix="cms-bundle-") as workspace, storage_calls():
        root = Path(workspace)
        previous = current_generation(storage)
        manifest = write_bundle(root, locales, progress=progress, summary=summary)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path != root / MANIFEST:
                with path.open("rb") as handle:
                    storage.save(f"{generation}/{path.relative_to(root).as_posix()}", File(handle))
        manifest["generation"] = generation
        for entry in manifest["pages"]:
            for copy in entry["locales"].values():
                copy["file"] = f"{generation}/{copy['file']}"
        _replace_manifest(storage, json_bytes(manifest))
        _remove_generations(storage, keep={generation, previous})
        summary.out = storage.url(MANIFEST)
    summary.seconds = time.monotonic() - started
    return summary


def current_generation(storage):
    """The generation the storage's manifest names, or None."""
    try:
        with storage.open(MANIFEST, "rb") as handle:
            return json.load(handle).get("generation")
    except (FileNotFoundError, ValueError, AttributeError):
        return None


def _replace_manifest(storage, data):
    try:
        target = storage.path(MANIFEST)
    except NotImplementedError:
        # Object storage: one PUT over the old object; readers see the old one or the new one.
        storage.save(MANIFEST, ContentFile(data))
        return
    partial = storage.save(f".{MANIFEST}.partial", ContentFile(data))
    os.replace(storage.path(partial), target)


def _remove_generations(storage, keep):
    folders, _files = storage.listdir("")
    for folder in folders:
        if GENERATION.match(folder) and folder not in keep:
            _remove_tree(storage, folder)


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
