"""Media on a real S3 server: an editor's upload, its renditions, the API's URLs, and a
storage that is down.

The server is SeaweedFS (tests/s3server.py); the product reaches it through the
settings an operator sets (cms.storage.config), never through a stand-in.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from cms.review.approvals import approve
from cms.storage.config import storages_from_env
from pages.demo.accounts import ensure_groups
from tests.s3server import MEDIA_BUCKET, anonymous_get
from tests.utils import demo_page

UPLOAD = "/admin/images/multiple/add/"


def jpeg(width=1200, height=800, name="needles.jpg"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 90)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def editor_client(client, db):
    """The product's Editors group (pages.demo.accounts), as a marketing editor has it."""
    user = get_user_model().objects.create_user("emma", password="pw")
    user.groups.add(ensure_groups()["Editors"])
    client.force_login(user)
    return client


def bucket_keys(object_storage):
    listing = object_storage.client.list_objects_v2(Bucket=MEDIA_BUCKET, Prefix=f"{object_storage.prefix}/")
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.mark.django_db
def test_an_editors_upload_and_its_renditions_are_served_from_the_bucket(object_storage, settings, editor_client, demo):
    # The library's editors may add images to several collections (the clinics' own): the
    # upload form then names one, as the admin's own form does.
    root = Collection.get_first_root_node()
    response = editor_client.post(UPLOAD, {"files[]": jpeg(), "collection": root.pk})
    assert response.status_code == 200, response.content[:500]
    assert response.json()["success"] is True
    image = get_image_model().objects.get(title="needles.jpg")
    original = f"{object_storage.prefix}/media/{image.file.name}"
    assert original in bucket_keys(object_storage)

    page = demo_page("microneedling")
    page.hero_image = image
    page.hero_image_alt = "Fine needles"
    page.save_revision()
    # A medical page goes live through its market's reviewer (the demo's), as in the admin.
    _approval, revision = approve(page, get_user_model().objects.get(username="reviewer"))
    revision.publish()
    data = editor_client.get(f"/api/v1/pages/{page.translation_key}/?locale=en").json()
    renditions = data["content"]["hero_image"]["renditions"]

    keys = bucket_keys(object_storage)
    media_root_url = f"{object_storage.server.endpoint}/{MEDIA_BUCKET}/{object_storage.prefix}/media/images/"
    for width, rendition in renditions.items():
        assert rendition["url"].startswith(media_root_url), rendition["url"]
        assert rendition["url"].removeprefix(f"{object_storage.server.endpoint}/{MEDIA_BUCKET}/") in keys
        status, body = anonymous_get(rendition["url"])  # as a browser or an app fetches it
        assert status == 200
        assert PILImage.open(io.BytesIO(body)).size == (rendition["width"], rendition["height"])
        assert rendition["width"] == min(int(width), 1200)

    # With a CDN in front of the bucket, the same files are named under its domain.
    env = {**object_storage.env, "AWS_S3_CUSTOM_DOMAIN": "media.clinic-cdn.example"}
    settings.STORAGES = {**settings.STORAGES, **storages_from_env(env, media_root="", media_url="")}
    data = editor_client.get(f"/api/v1/pages/{page.translation_key}/?locale=fr").json()
    for rendition in data["content"]["hero_image"]["renditions"].values():
        assert rendition["url"].startswith(f"https://media.clinic-cdn.example/{object_storage.prefix}/media/images/")


@pytest.mark.django_db
def test_an_upload_to_a_storage_that_is_down_says_so_and_saves_nothing(storage_down, editor_client):
    images_before = get_image_model().objects.count()
    response = editor_client.post(UPLOAD, {"files[]": jpeg()})
    assert response.status_code == 200
    assert response.json() == {
        "success": False,
        "error_message": "Nothing was saved: the file storage could not be reached. Try again in a moment; "
        "if this goes on, tell your administrator.",
    }
    assert get_image_model().objects.count() == images_before


@pytest.mark.django_db
def test_a_document_upload_to_a_storage_that_is_down_leaves_no_row(storage_down, editor_client):
    from wagtail.documents import get_document_model

    response = editor_client.post(
        "/admin/documents/multiple/add/", {"files[]": io.BytesIO(b"%PDF-1.4 aftercare")}, format="multipart"
    )
    assert json.loads(response.content)["success"] is False
    assert "the file storage could not be reached" in json.loads(response.content)["error_message"]
    assert not get_document_model().objects.exists()
    assert Page.objects.filter(depth=1).exists()  # the database is still usable after the rollback
