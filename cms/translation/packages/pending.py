"""Uploaded packages waiting between their dry run and "Apply".

They wait in the ``translation_packages`` storage (``STORAGES``), not on one server's
disk: behind a load balancer the "Apply" may reach another web server than the upload
did, so with several servers that storage is shared (the private bucket on object
storage, or a shared folder). Each file is named ``<upload time>-<token>.upload``: the
token is random and tied to the uploader's session, and the time lets old, never
applied uploads be dropped without asking the storage for each file's date.
"""

import contextlib
import secrets
import time

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from cms.storage.errors import storage_calls

MAX_AGE_SECONDS = 24 * 3600
SUFFIX = ".upload"


def _storage():
    return storages["translation_packages"]


def keep(data):
    """Store ``data``; returns the name to fetch it by. Raises StorageUnavailable."""
    storage = _storage()
    name = f"{int(time.time())}-{secrets.token_urlsafe(16)}{SUFFIX}"
    with storage_calls():
        forget_old(storage)
        return storage.save(name, ContentFile(data))


def read(name):
    """The bytes of a kept upload, or None when it is gone (applied or expired). Raises StorageUnavailable."""
    storage = _storage()
    try:
        with storage_calls(), storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def discard(name):
    with storage_calls():
        _storage().delete(name)


def forget_old(storage):
    """Drop uploads older than a day that were never applied."""
    cutoff = time.time() - MAX_AGE_SECONDS
    try:
        _folders, files = storage.listdir("")
    except FileNotFoundError:
        return
    for name in files:
        stamp = name.split("-", 1)[0]
        if name.endswith(SUFFIX) and stamp.isdigit() and int(stamp) < cutoff:
            with contextlib.suppress(FileNotFoundError):
                storage.delete(name)
