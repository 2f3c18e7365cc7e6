"""Which storage each kind of file goes to, from the environment an operator sets."""

import json

from cms.storage.config import S3_BACKEND, storages_from_env
from tests.test_settings import PRODUCTION_ENV, manage

LOCAL = "django.core.files.storage.FileSystemStorage"


def test_without_a_bucket_everything_stays_on_the_local_disk(tmp_path):
    configured = storages_from_env({}, media_root=tmp_path, media_url="/media/", package_dir=tmp_path / "uploads")
    assert {alias: spec["BACKEND"] for alias, spec in configured.items() if alias != "staticfiles"} == {
        "default": LOCAL,
        "bundles": LOCAL,
        "translation_packages": LOCAL,
    }
    assert configured["bundles"]["OPTIONS"] == {"location": str(tmp_path / "bundles"), "base_url": "/media/bundles/"}
    assert configured["translation_packages"]["OPTIONS"]["location"] == str(tmp_path / "uploads")
    assert configured["translation_packages"]["OPTIONS"]["file_permissions_mode"] == 0o600


def test_with_a_bucket_translator_uploads_stay_private_and_only_public_files_name_the_cdn():
    env = {
        "AWS_STORAGE_BUCKET_NAME": "clinic-media",
        "AWS_PRIVATE_BUCKET_NAME": "clinic-private",
        "AWS_S3_CUSTOM_DOMAIN": "media.clinic-cdn.example",
    }
    configured = storages_from_env(env, media_root="", media_url="")
    media, bundles, uploads = (configured[alias] for alias in ("default", "bundles", "translation_packages"))
    assert media["BACKEND"] == bundles["BACKEND"] == uploads["BACKEND"] == S3_BACKEND
    assert (media["OPTIONS"]["bucket_name"], media["OPTIONS"]["location"]) == ("clinic-media", "media")
    assert (bundles["OPTIONS"]["bucket_name"], bundles["OPTIONS"]["location"]) == ("clinic-media", "bundles")
    assert (uploads["OPTIONS"]["bucket_name"], uploads["OPTIONS"]["location"]) == (
        "clinic-private",
        "translation-packages",
    )
    assert media["OPTIONS"]["custom_domain"] == bundles["OPTIONS"]["custom_domain"] == "media.clinic-cdn.example"
    assert "custom_domain" not in uploads["OPTIONS"]
    assert media["OPTIONS"]["file_overwrite"] is False  # an upload never replaces another file
    assert media["OPTIONS"]["querystring_auth"] is False  # image URLs are stable and unsigned
    without_private = storages_from_env({"AWS_STORAGE_BUCKET_NAME": "clinic-media"}, media_root="", media_url="")
    assert without_private["translation_packages"]["OPTIONS"]["bucket_name"] == "clinic-media"


def test_production_settings_with_object_storage_pass_the_deployment_checks():
    env = {**PRODUCTION_ENV, "AWS_STORAGE_BUCKET_NAME": "clinic-media", "AWS_S3_REGION_NAME": "eu-west-3"}
    assert manage("check", "--deploy", "--fail-level", "WARNING", env=env).returncode == 0
    result = manage(
        "shell",
        "-c",
        "import json; from django.core.files.storage import storages;"
        "print(json.dumps({a: type(storages[a]).__name__ for a in ('default', 'bundles', 'translation_packages')}))",
        env=env,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == dict.fromkeys(
        ("default", "bundles", "translation_packages"), "ObjectStorage"
    ), result.stderr
