"""``STORAGES`` from the environment.

Four storages, each under its own alias, so code asks for what it needs and never for a
backend:

``default``               media: original images, renditions, documents
``bundles``               export bundles published by ``export_content --storage``
``translation_packages``  translator uploads waiting between their dry run and "Apply"
``staticfiles``           the admin's and API docs' static files (always local, whitenoise)

Without ``AWS_STORAGE_BUCKET_NAME`` all of them are folders on the local disk (the
embedded default). With it, media and bundles go to that bucket (read publicly, or
through a CDN at ``AWS_S3_CUSTOM_DOMAIN``), and translation uploads to
``AWS_PRIVATE_BUCKET_NAME`` (the same bucket unless set), which nobody reads anonymously.
Credentials are never settings: boto3 reads ``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY`` (or an instance role) itself.
"""

import tempfile
from pathlib import Path

S3_BACKEND = "cms.storage.backends.ObjectStorage"
STATICFILES = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def _local(location, **options):
    options["location"] = str(location)
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": options}


def _s3(environ, bucket, location, **options):
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "location": location,
            "endpoint_url": endpoint,
            "region_name": environ.get("AWS_S3_REGION_NAME", "").strip() or None,
            # Self-hosted servers (MinIO, SeaweedFS) answer on one host: bucket in the path.
            "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE", "").strip() or ("path" if endpoint else None),
            # Plain URLs: the API's image URLs must be the same for every reader and
            # never expire (they are cached and shipped in bundles).
            "querystring_auth": False,
            "timeout": float(environ.get("AWS_S3_TIMEOUT", "5")),
            **options,
        },
    }


def storages_from_env(environ, *, media_root, media_url, package_dir=None):
    """Django's ``STORAGES`` for this environment (see the module docstring)."""
    package_dir = Path(package_dir or Path(tempfile.gettempdir()) / "cms-packages")
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {
            # No location: FileSystemStorage follows MEDIA_ROOT and MEDIA_URL.
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "bundles": _local(Path(media_root) / "bundles", base_url=media_url.rstrip("/") + "/bundles/"),
            "translation_packages": _local(package_dir, file_permissions_mode=0o600, directory_permissions_mode=0o700),
            "staticfiles": STATICFILES,
        }
    private_bucket = environ.get("AWS_PRIVATE_BUCKET_NAME", "").strip() or bucket
    custom_domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip() or None
    public = {"custom_domain": custom_domain, "url_protocol": environ.get("AWS_S3_URL_PROTOCOL", "https:")}
    return {
        # An upload never replaces another file of the same name (Django's default on disk).
        "default": _s3(
            environ, bucket, environ.get("AWS_LOCATION", "media").strip("/"), file_overwrite=False, **public
        ),
        "bundles": _s3(environ, bucket, environ.get("BUNDLE_LOCATION", "bundles").strip("/"), **public),
        "translation_packages": _s3(environ, private_bucket, "translation-packages"),
        "staticfiles": STATICFILES,
    }
