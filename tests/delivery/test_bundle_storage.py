"""export_content --storage: a bundle published to a real S3 bucket (tests/s3server.py),
pages first and the manifest last, so a reader never meets half a bundle."""

import hashlib
import io
import json

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.delivery.bundle_storage import MANIFEST
from tests.s3server import MEDIA_BUCKET, anonymous_get

from .conftest import add_page, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(treatments, locales):
    """en: treatments > microneedling; fr translates treatments."""
    microneedling = add_page(treatments, "Microneedling", "microneedling")
    translate(treatments, locales["fr"])
    return {"treatments": treatments, "microneedling": microneedling}


def publish_to_storage(*args):
    output = io.StringIO()
    call_command("export_content", "--storage", *args, stdout=output)
    return output.getvalue()


def public_url(object_storage, name):
    return f"{object_storage.server.endpoint}/{MEDIA_BUCKET}/{object_storage.prefix}/bundles/{name}"


def read_published(object_storage):
    """The manifest as a static-host reader gets it, and every file it names (anonymous GETs)."""
    status, body = anonymous_get(public_url(object_storage, MANIFEST))
    assert status == 200
    manifest = json.loads(body)
    files = {}
    for entry in manifest["pages"]:
        for copy in entry["locales"].values():
            status, body = anonymous_get(public_url(object_storage, copy["file"]))
            assert status == 200, copy["file"]
            assert hashlib.sha256(body).hexdigest() == copy["sha256"]
            files[copy["file"]] = body
    return manifest, files


def generations(object_storage):
    """The generation folders that hold files (an emptied folder may linger in a listing for a while)."""
    prefix = f"{object_storage.prefix}/bundles/"
    listing = object_storage.client.list_objects_v2(Bucket=MEDIA_BUCKET, Prefix=prefix)
    names = {item["Key"].removeprefix(prefix).split("/")[0] for item in listing.get("Contents", [])}
    return sorted(names - {MANIFEST})


def test_a_published_bundle_is_what_the_api_serves_and_is_read_from_the_bucket(object_storage, site, client):
    output = publish_to_storage()
    assert f"to {public_url(object_storage, MANIFEST)}" in output
    manifest, files = read_published(object_storage)
    assert manifest["locales"] == ["en", "fr", "de", "es"]
    key = str(site["microneedling"].translation_key)
    for locale in manifest["locales"]:
        body = files[f"{manifest['generation']}/{locale}/pages/{key}.json"]
        assert body == client.get(f"/api/v1/pages/{key}/?locale={locale}").content
        status, index = anonymous_get(public_url(object_storage, f"{manifest['generation']}/{locale}/index.json"))
        assert status == 200 and key in {page["key"] for page in json.loads(index)["pages"]}


def test_the_manifest_goes_last_and_names_the_previous_bundle_until_then(object_storage, site):
    publish_to_storage()
    first, first_files = read_published(object_storage)

    storage = storages["bundles"]
    saves = []
    save = storage._save

    def watched_save(name, content):
        # What a reader on the real server sees at the moment of each upload.
        saves.append((name, json.loads(anonymous_get(public_url(object_storage, MANIFEST))[1])["generation"]))
        return save(name, content)

    storage._save = watched_save
    publish_to_storage()
    second, _files = read_published(object_storage)

    names = [name for name, _seen in saves]
    assert names[-1] == MANIFEST
    assert len(names) == len(set(names)) == 1 + sum(len(entry["locales"]) for entry in second["pages"]) + 4
    assert all(name.startswith(f"{second['generation']}/") for name in names[:-1])
    assert {seen for _name, seen in saves} == {first["generation"]}  # never the new one before it was whole
    assert second["generation"] != first["generation"]
    # The previous bundle stays whole for readers still reading it.
    assert generations(object_storage) == sorted([first["generation"], second["generation"]])
    for name, body in first_files.items():
        assert anonymous_get(public_url(object_storage, name)) == (200, body)


def test_a_storage_failure_half_way_leaves_the_published_bundle_as_it_was(object_storage, site):
    publish_to_storage()
    before = read_published(object_storage)

    storage = storages["bundles"]
    save = storage._save
    calls = []

    def failing_save(name, content):
        calls.append(name)
        if len(calls) == 4:  # the connection drops after three files
            raise EndpointConnectionError(endpoint_url=object_storage.server.endpoint)
        return save(name, content)

    storage._save = failing_save
    with pytest.raises(CommandError, match="the bundle published before is unchanged: the storage did not answer"):
        publish_to_storage()
    assert read_published(object_storage) == before
    assert len(generations(object_storage)) == 2  # the half-uploaded one, named by no manifest

    storage._save = save
    publish_to_storage()
    after, _files = read_published(object_storage)
    # The next publish clears the half-uploaded generation; the previous complete one stays.
    assert generations(object_storage) == sorted([before[0]["generation"], after["generation"]])


def test_zip_and_incremental_are_for_folders(object_storage, site):
    with pytest.raises(CommandError, match="--zip and --incremental apply to --out folders only."):
        publish_to_storage("--incremental")
    assert generations(object_storage) == []


def test_without_object_storage_the_bundles_storage_is_a_local_folder(settings, tmp_path, site):
    folder = tmp_path / "bundles"
    settings.STORAGES = {
        **settings.STORAGES,
        "bundles": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}},
    }
    publish_to_storage()
    first = json.loads((folder / MANIFEST).read_text())
    publish_to_storage()
    publish_to_storage()
    manifest = json.loads((folder / MANIFEST).read_text())
    for entry in manifest["pages"]:
        for copy in entry["locales"].values():
            assert hashlib.sha256((folder / copy["file"]).read_bytes()).hexdigest() == copy["sha256"]
    kept = sorted(path.name for path in folder.iterdir() if path.is_dir())
    assert len(kept) == 2 and manifest["generation"] in kept and first["generation"] not in kept
    assert sorted(path.name for path in folder.iterdir() if path.is_file()) == [MANIFEST]
