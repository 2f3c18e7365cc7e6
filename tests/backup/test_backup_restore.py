"""manage.py backup / restore, proven by a restore: the demo is dumped, restored into a
fresh PostgreSQL database, and both are served side by side; every API response in
every locale must be the same bytes, and the records behind them the same counts."""

import io
import json
import os
import secrets
import urllib.parse
import uuid
import zipfile

import dj_database_url
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.processes import DemoDatabase, _postgres_admin, demo_database, start_server
from tests.s3server import MEDIA_BUCKET, anonymous_get

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="backup and restore run pg_dump and pg_restore, which need PostgreSQL"
)

COUNTS = """
import json
from wagtail.models import ModelLogEntry, PageLogEntry, Revision
from wagtail_localize.models import String, StringTranslation, TranslationSource
from cms.delivery.models import ContentChange
print(json.dumps({
    "revisions": Revision.objects.count(),
    "translation sources": TranslationSource.objects.count(),
    "strings": String.objects.count(),
    "string translations": StringTranslation.objects.count(),
    "change rows": ContentChange.objects.count(),
    "audit rows": PageLogEntry.objects.count() + ModelLogEntry.objects.count(),
}))
"""


def empty_database(like, media_root):
    """A new, empty PostgreSQL database beside ``like``'s, with its own media folder and cache keys."""
    url = like.env["DATABASE_URL"]
    admin = _postgres_admin(dj_database_url.parse(url))
    name = f"cms_restored_{secrets.token_hex(4)}"
    admin(f'CREATE DATABASE "{name}"')
    env = {
        **like.env,
        "DATABASE_URL": url.rsplit("/", 1)[0] + f"/{name}",
        "MEDIA_ROOT": str(media_root),
        "CACHE_KEY_PREFIX": name,  # nothing answered from the original's cache
    }
    return DemoDatabase(env=env, drop=lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def original(tmp_path):
    database = demo_database(tmp_path, {"MEDIA_ROOT": str(tmp_path / "media-original")})
    yield database
    database.drop()


@pytest.fixture
def restored(original, tmp_path):
    database = empty_database(original, tmp_path / "media-restored")
    yield database
    database.drop()


def without_horizon(document, *clock_fields):
    """``document`` without the values that tell the time of the read rather than the content.

    A full sync's cursor (and the bundle manifest's) names the oldest transaction in
    flight on the database server when it was read (cms.api.cursors): a clock that
    moves on with every transaction, whatever the content.
    """
    document = dict(document)
    for field in ("cursor", "next", *clock_fields):
        document.pop(field, None)
    return json.dumps(document, sort_keys=True).encode()


def responses(server, key, continued_from):
    """Every API response of the demo, by URL: locales, listings, details (one locale and all),
    versions, find by path, the sync feed to its end and from a stored cursor, and the
    export bundle's files."""
    auth = {"Authorization": f"Api-Key {key}"}
    found = {}

    def get(path, **headers):
        status, response_headers, body = server.get(path, **headers)
        found[path] = (status, response_headers.get("ETag"), response_headers.get("Last-Modified"), body)
        return body

    get("/api/v1/locales/")
    for locale in ("en", "fr", "de", "es"):
        listing = json.loads(get(f"/api/v1/pages/?locale={locale}&limit=100"))
        assert listing["count"] == len(listing["results"]) > 0
        for summary in listing["results"]:
            get(f"/api/v1/pages/{summary['key']}/?locale={locale}")
            get(f"/api/v1/pages/find/?path={urllib.parse.quote(summary['path'])}")
            get(f"/api/v1/pages/{summary['key']}/?locale=*")
            get(f"/api/v1/pages/{summary['key']}/versions/")
        cursor = ""
        while True:
            path = f"/api/v1/sync/?locale={locale}{cursor}"
            batch = json.loads(get(path, **auth))
            cursor = f"&cursor={batch['cursor']}"
            found[path] = found[path][:3] + (without_horizon(batch),)
            if not batch["has_more"]:
                break
        # A client's stored cursor (the original's) goes on from the same place.
        get(f"/api/v1/sync/?locale={locale}&cursor={continued_from[locale]}", **auth)
        archive = get(f"/api/v1/export/?locale={locale}", **auth)
        found.pop(f"/api/v1/export/?locale={locale}")  # the zip's own bytes carry its files' times
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            for name in bundle.namelist():
                data = bundle.read(name)
                if name == "manifest.json":  # the time of the export, and the feed's horizon then
                    data = without_horizon(json.loads(data), "generated_at")
                found[f"export {locale}: {name}"] = data
    return found


def image_files(server, found):
    """The bytes of every image rendition the responses name, fetched from the server's media."""
    urls = set()
    for path, value in found.items():
        if path.startswith("/api/v1/pages/") and value[0] == 200:
            image = (json.loads(value[3]).get("content") or {}).get("hero_image") or {}
            for rendition in image.get("renditions", {}).values():
                urls.add(urllib.parse.urlsplit(rendition["url"]).path)
    return {url: server.get(url) for url in sorted(urls)}


@needs_postgres
def test_a_restored_backup_serves_every_response_byte_for_byte(original, restored, tmp_path):
    key = original.manage("create_api_key", "--name", "backup check", "--scope", "export").stdout.strip()
    # Where each locale's client stood before the backup, to carry on after the restore.
    cursors = original.shell(
        "import json; from cms.delivery import feed;"
        "print(json.dumps({code: feed.read(code).cursor for code in ('en', 'fr', 'de', 'es')}))"
    )
    backup = tmp_path / "backup"
    assert "media files to" in original.manage("backup", "--out", str(backup)).stdout
    counts = original.shell(COUNTS)
    assert all(counts.values()), counts

    # A restore over a database that holds content is refused, and changes nothing.
    refused = original.manage("restore", "--from", str(backup), check=False)
    assert refused.returncode == 1
    database_name = original.env["DATABASE_URL"].rsplit("/", 1)[1]
    assert f"Refusing to restore: the database {database_name} has " in refused.stderr
    assert "run again with --force to replace what is there." in refused.stderr
    assert original.shell(COUNTS) == counts

    restored.manage("restore", "--from", str(backup))
    assert restored.shell(COUNTS) == counts

    servers = [start_server(database, "runserver", tmp_path) for database in (original, restored)]
    try:
        before, after = (responses(server, key, cursors) for server in servers)
        assert list(after) == list(before)
        for url, value in before.items():
            assert after[url] == value, url
        assert len(before) > 100
        images = image_files(servers[0], before)
        assert images and all(status == 200 for status, _headers, _body in images.values())
        assert {url: body for url, (_status, _headers, body) in image_files(servers[1], after).items()} == {
            url: body for url, (_status, _headers, body) in images.items()
        }
    finally:
        for server in servers:
            server.stop()


def test_backup_on_sqlite_is_refused_with_the_reason(db, tmp_path):
    if ON_POSTGRES:
        pytest.skip("this run is on PostgreSQL, where backups work")
    with pytest.raises(CommandError, match="Backups use pg_dump and pg_restore, which need PostgreSQL; this database"):
        call_command("backup", "--out", str(tmp_path / "backup"))
    assert not (tmp_path / "backup").exists()
    assert list(tmp_path.iterdir()) == []


@needs_postgres
def test_a_feed_restored_onto_a_server_behind_it_moves_below_its_transactions(db):
    """Restored onto another PostgreSQL server whose transaction ids are lower, the change
    rows would sit above the feed's horizon and stay unread; the restore moves them below."""
    from cms.api.cursors import BadCursor, Cursor, writing_xact
    from cms.backup.archive import rebase_change_feed
    from cms.delivery.models import ContentChange

    ahead = writing_xact() + 10**9  # written on a server far ahead of this one
    rows = [
        ContentChange.objects.create(
            xact=ahead + n,
            event="page.published",
            key=uuid.uuid4(),
            locale="en",
            page_id=n,
            page_type="pages.ProcedurePage",
        )
        for n in (1, 2)
    ]
    assert list(Cursor().rows_after(ContentChange.objects.all())) == []  # hidden above the horizon
    with pytest.raises(BadCursor, match="is ahead of this feed"):  # a client's cursor from that server
        list(Cursor(ahead + 1, rows[0].pk).rows_after(ContentChange.objects.all()))

    rebase_change_feed()
    assert list(Cursor().rows_after(ContentChange.objects.all())) == rows  # in the order they were written


ILLUSTRATE = """
import json
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

image = get_image_model().objects.get()
for spec in ("fill-320x180", "width-800"):
    image.get_rendition(spec)
document = get_document_model()(title="Aftercare sheet")
document.file.save("aftercare.pdf", ContentFile(b"%PDF-1.4 aftercare, in the bucket"), save=False)
document.save()
print(json.dumps([document.file.name]))
"""


def bucket_objects(client, prefix):
    """``{key: bytes}`` of every object under ``prefix``, read with the S3 API itself."""
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=MEDIA_BUCKET, Prefix=prefix):
        for item in page.get("Contents", []):
            objects[item["Key"]] = client.get_object(Bucket=MEDIA_BUCKET, Key=item["Key"])["Body"].read()
    return objects


@needs_postgres
def test_media_in_a_bucket_is_backed_up_and_restored_byte_for_byte(s3_server, tmp_path):
    """Media on S3 (the configured storage, as an operator sets it): the backup holds every
    object of the bucket's media prefix, and a restore into an emptied database and bucket
    puts every one back, the same bytes under the same key."""
    prefix = f"b{secrets.token_hex(4)}"
    storage_env = {**s3_server.env(), "AWS_LOCATION": f"{prefix}/media", "BUNDLE_LOCATION": f"{prefix}/bundles"}
    original = demo_database(tmp_path, storage_env)
    restored = empty_database(original, tmp_path / "unused-media")
    client = s3_server.client()
    try:
        original.shell(ILLUSTRATE)
        media = bucket_objects(client, f"{prefix}/media/")
        kinds = {key.split("/")[2] for key in media}
        assert kinds == {"original_images", "images", "documents"}, sorted(media)
        counts = original.shell(COUNTS)

        backup = tmp_path / "backup"
        assert f"{len(media)} media files to" in original.manage("backup", "--out", str(backup)).stdout
        manifest = json.loads((backup / "backup.json").read_text())
        assert {f"{prefix}/media/{entry['name']}" for entry in manifest["media"]} == set(media)
        for key, body in media.items():
            assert (backup / "media" / key.removeprefix(f"{prefix}/media/")).read_bytes() == body

        # An empty database, but the bucket still holds the media: refused, nothing changed.
        refused = restored.manage("restore", "--from", str(backup), check=False)
        assert refused.returncode == 1
        assert f"Refusing to restore: the media storage holds {len(media)} files." in refused.stderr
        assert "run again with --force to replace what is there." in refused.stderr
        assert (
            restored.shell(
                "import json; from django.db import connection;"
                "print(json.dumps(connection.introspection.table_names()))"
            )
            == []
        )
        assert bucket_objects(client, f"{prefix}/media/") == media

        # The bucket's media lost (the original database dropped too), then restored.
        for key in media:
            client.delete_object(Bucket=MEDIA_BUCKET, Key=key)
        assert bucket_objects(client, f"{prefix}/media/") == {}
        original.drop()
        original.drop = None
        output = restored.manage("restore", "--from", str(backup)).stdout
        assert f"Restored the database and {len(media)} media files" in output
        assert bucket_objects(client, f"{prefix}/media/") == media
        assert restored.shell(COUNTS) == counts

        # The restored site names its images in the bucket, and they are there.
        server = start_server(restored, "runserver", tmp_path)
        try:
            listing = json.loads(server.get("/api/v1/pages/?locale=en&type=pages.ProcedurePage&limit=100")[2])
            urls = []
            for summary in listing["results"]:
                page = json.loads(server.get(f"/api/v1/pages/{summary['key']}/?locale=en")[2])
                image = page["content"].get("hero_image") or {}
                urls += [rendition["url"] for rendition in image.get("renditions", {}).values()]
        finally:
            server.stop()
        assert urls
        for url in urls:
            assert url.startswith(f"{s3_server.endpoint}/{MEDIA_BUCKET}/{prefix}/media/images/"), url
            status, body = anonymous_get(url)
            assert status == 200 and body == media[url.removeprefix(f"{s3_server.endpoint}/{MEDIA_BUCKET}/")]
    finally:
        for database in (original, restored):
            if database.drop:
                database.drop()
