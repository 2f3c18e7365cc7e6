"""The demo hub with its accounts, loaded once per module, and each clinic's own records.

Madrid and London each get an image and a document in their collection, an API key
and a webhook endpoint (with one delivery) bound to their site, each logged in the
site history as the admin would leave it. The hub gets a key and an endpoint of its
own (no site). Everything is rolled back after the module.
"""

import io
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client, TestCase
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, Site

from cms.api.models import ApiKey
from cms.delivery.models import WebhookDelivery, WebhookEndpoint
from pages.demo.loader import demo_key
from pages.models import Clinic
from tests.api.conftest import shared_data

CLINICS = ("madrid", "london")


def png(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 180, 170)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def _clinic_records(slug, admin):
    clinic = Clinic.objects.select_related("site", "collection").get(slug=slug)
    label = slug.capitalize()
    image = get_image_model()(title=f"{label} waiting room", collection=clinic.collection)
    image.file = png(f"{slug}-waiting-room.png")
    image.save()
    document = get_document_model().objects.create(
        title=f"{label} consent form", collection=clinic.collection, file=ContentFile(b"%PDF-1.4\n", name=f"{slug}.pdf")
    )
    key, _raw = ApiKey.objects.create_key(name=f"{label} app", scopes=["delivery"])
    key.site = clinic.site
    key.save()
    endpoint = WebhookEndpoint.objects.create(
        name=f"{label} website", url=f"https://{slug}.lumen.example/revalidate", events=["page.published"]
    )
    endpoint.site = clinic.site
    endpoint.save()
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", key=demo_key("microneedling"), locale="en", body="{}"
    )
    for record in (image, document, key, endpoint):
        log(record, "wagtail.create", user=admin)
    locale = "es" if slug == "madrid" else "en"
    home = Page.objects.get(translation_key=clinic.site.root_page.translation_key, locale__language_code=locale)
    return SimpleNamespace(
        slug=slug,
        clinic=clinic,
        site=clinic.site,
        collection=clinic.collection,
        home=home,
        page=home.get_children().get(slug="microneedling").specific,
        home_title=home.title,
        image=image,
        document=document,
        key=key,
        endpoint=endpoint,
        markers=(home.title, image.title, document.title, key.name, endpoint.name),
    )


@pytest.fixture(scope="module")
def hub_data(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_content", verbosity=0)
        admin = get_user_model().objects.get(username="admin")
        clinics = {slug: _clinic_records(slug, admin) for slug in CLINICS}
        hub_key, _raw = ApiKey.objects.create_key(name="Hub partner", scopes=["translation"])
        hub_endpoint = WebhookEndpoint.objects.create(
            name="Hub bundle builder", url="https://hub.lumen.example/build", events=["page.published"]
        )
        library_home = Site.objects.get(is_default_site=True).root_page
        yield SimpleNamespace(
            clinics=clinics, hub_key=hub_key, hub_endpoint=hub_endpoint, library_home=library_home, admin=admin
        )


@pytest.fixture
def hub(hub_data, db):
    return hub_data


@pytest.fixture
def client_for(hub):
    """A test client signed in as one of the demo accounts."""

    def make(username):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make
