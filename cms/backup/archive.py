"""What a backup folder holds, and how it is written and read back.

    <backup>/
      backup.json      format, time, database name, and every media file with its size and sha256
      database.dump    pg_dump's custom format (pg_restore reads it)
      media/           every file of the media storage (local folder or bucket), by its name

A backup is built in a folder beside its destination and renamed into place when
complete, so a folder named like a backup is a whole one. ``restore`` checks every
media file against ``backup.json`` before it replaces anything.

What is not in a backup, by design: the Redis cache and task queue (rebuilt from the
database), pending translator uploads (they expire within a day), and published export
bundles (``export_content`` makes them again from the database).
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

from cms.delivery.models import ContentChange
from cms.storage.errors import storage_calls

FORMAT = 1
MANIFEST = "backup.json"
DUMP = "database.dump"
MEDIA = "media"


class BackupError(Exception):
    """Why a backup or restore cannot go on, worded for the operator; nothing was changed."""


def _postgres():
    """The connection settings as libpq environment variables (the password never on a command line)."""
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backups use pg_dump and pg_restore, which need PostgreSQL; this database is {connection.vendor}. "
            "On the embedded SQLite default, stop the server and copy db.sqlite3 and the media folder."
        )
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install PostgreSQL's client tools (postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - fixed arguments
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")


def _media_names(storage, folder=""):
    """Every file name of a storage, walked folder by folder."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from _media_names(storage, f"{folder}/{name}" if folder else name)


def media_names(storage):
    try:
        return sorted(_media_names(storage))
    except FileNotFoundError:  # a media folder not made yet
        return []


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(out):
    """Dump the database and copy the media into the new folder ``out``; returns the manifest."""
    out = Path(out).expanduser().resolve()
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} already exists and is not empty; name a new folder for the backup.")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} does not exist.")
    env = _postgres()
    building = out.with_name(f".{out.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(building / DUMP)], env)
        storage = storages["default"]
        files = []
        with storage_calls():
            for name in media_names(storage):
                target = building / MEDIA / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(name, "rb") as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy)
                files.append({"name": name, "size": target.stat().st_size, "sha256": _sha256(target)})
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.settings_dict["NAME"],
            "media": files,
        }
        (building / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if out.exists():
            out.rmdir()
        os.rename(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return manifest


def read_backup(folder):
    """The manifest of a whole, undamaged backup at ``folder``; BackupError otherwise."""
    folder = Path(folder).expanduser().resolve()
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a backup: {folder / MANIFEST} cannot be read ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is a backup of format {manifest.get('format')!r}; this version reads {FORMAT}.")
    if not (folder / DUMP).is_file():
        raise BackupError(f"{folder / DUMP} is missing: the backup is incomplete.")
    for entry in manifest["media"]:
        path = folder / MEDIA / entry["name"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"Media file {entry['name']} is missing or damaged in {folder}; nothing was restored.")
    return manifest


def what_is_there():
    """A short description of what the database and the media storage hold already, or ''."""
    found = []
    tables = connection.introspection.table_names()
    if tables:
        found.append(f"the database {connection.settings_dict['NAME']} has {len(tables)} tables")
    with storage_calls():
        media = media_names(storages["default"])
    if media:
        found.append(f"the media storage holds {len(media)} files")
    return " and ".join(found)


def rebase_change_feed():
    """Keep the sync feed going on a server whose transaction ids are behind the backup's.

    Change rows carry the id of the transaction that wrote them (cms.api.cursors), and
    the feed reads only below the oldest transaction in flight. Restored onto another
    PostgreSQL server, whose ids may be lower, the restored rows would hide above that
    horizon and new changes would sort before them. Then the restored rows, all
    committed, are moved below every transaction (0, in id order); clients' cursors
    from before are refused as ahead of the feed and they sync again from the start.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        current = cursor.fetchone()[0]
        if ContentChange.objects.filter(xact__gte=current).exists():
            ContentChange.objects.update(xact=0)


def restore_backup(folder, *, force=False):
    """Restore the database and the media from ``folder`` (see :func:`read_backup`)."""
    folder = Path(folder).expanduser().resolve()
    manifest = read_backup(folder)
    env = _postgres()
    present = what_is_there()
    if present and not force:
        raise BackupError(
            f"Refusing to restore: {present}. Restore into an empty database and media storage, "
            "or run again with --force to replace what is there."
        )
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, "-d", env["PGDATABASE"], str(folder / DUMP)], env)
    connection.close()  # the tables changed under this connection
    rebase_change_feed()
    storage = storages["default"]
    with storage_calls():
        for entry in manifest["media"]:
            name = entry["name"]
            if storage.exists(name):
                storage.delete(name)
            with open(folder / MEDIA / name, "rb") as handle:
                saved = storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"The media storage saved {name} as {saved}; check its overwrite setting.")
    return manifest
