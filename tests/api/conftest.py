"""Fixtures for the delivery API tests: a small clinic site built in a few queries.

``site_tree`` builds, in English and French (French through wagtail-localize):

    Home ─ Microneedling (procedure) ─┬─ Safety checklist (3 items)
                                      └─ Device comparison (2 devices)

The demo content (``api_demo``) is loaded once per module for the tests that need the
whole thing (schemathesis); everything else uses these builders.
"""

import contextlib
import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import TranslationSource

from pages.models import DeviceComparisonPage, HomePage, ProcedurePage, SafetyChecklistPage
from tests.utils import device


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (responses, site root paths, throttles)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def publish(page):
    page.save_revision().publish()
    return page


def add_page(parent, model, **fields):
    """Add and publish a page of ``model`` under ``parent``."""
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = model(**fields)
    parent.add_child(instance=page)
    return publish(page)


def translate(page, language_code="fr"):
    """The ``language_code`` copy of ``page`` made by wagtail-localize, published.

    Strings fall back to the source text (nothing is translated by hand here), so the
    copy's title is the source title; tests that need other words set them.
    """
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translated, _created = source.create_or_update_translation(
        Locale.objects.get(language_code=language_code), publish=True, fallback=True
    )
    return publish(Page.objects.get(pk=translated.pk).specific)


def retitle(page, title, slug=None):
    page = Page.objects.get(pk=page.pk).specific  # a fresh copy: tree fields may have moved on
    page.title = title
    page.slug = slug or page.slug
    return publish(page)


def make_image(width=1200, height=800):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 170)).save(buffer, format="PNG")
    image = get_image_model()(title="Treatment photo")
    image.file = ImageFile(buffer, name="treatment.png")
    image.save()
    return image


def checklist_items(count):
    phases = ["before", "during", "after"]
    return [
        (
            "item",
            {
                "text": f"Check number {n}",
                "phase": phases[n % 3],
                "importance": "required" if n % 2 else "recommended",
                "rationale": "Because it matters.",
            },
        )
        for n in range(count)
    ]


def build_site(*, devices=2, items=3, steps=2, with_french=True, with_image=False):
    """The small clinic site described in the module docstring; returns a namespace."""
    root = Page.get_first_root_node()
    home = HomePage(title="Clinic", slug="clinic", intro="<p>Welcome.</p>")
    root.add_child(instance=home)
    publish(home)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Clinic")
    procedure = add_page(
        home,
        ProcedurePage,
        title="Microneedling",
        summary="Tiny needles prompt new collagen.",
        also_known_as="Collagen induction therapy",
        what_it_is="<p>A minimally invasive treatment.</p>",
        steps=[("step", {"title": f"Step {n}", "description": "What happens."}) for n in range(steps)],
        session_minutes_min=10,
        session_minutes_max=20,
        sessions_needed_min=4,
        sessions_needed_max=6,
        performed_by=["dermatologist", "aesthetician"],
        reviewed_by="Dr Ana Ruiz, dermatologist",
        last_reviewed_on=datetime.date(2026, 11, 2),
        hero_image=make_image() if with_image else None,
        hero_image_alt="A practitioner treating a cheek" if with_image else "",
    )
    checklist = add_page(
        procedure, SafetyChecklistPage, title="Safety", summary="What to check.", items=checklist_items(items)
    )
    pens = [device(f"Device {n}", kind="pen" if n % 2 == 0 else "roller") for n in range(devices)]
    comparison = add_page(
        procedure,
        DeviceComparisonPage,
        title="Devices",
        summary="Pens and rollers side by side.",
        devices=[("device", {"device": pen, "remark": ""}) for pen in pens],
    )
    site = SimpleNamespace(home=home, procedure=procedure, checklist=checklist, comparison=comparison, devices=pens)
    if with_french:
        site.home_fr = translate(home)
        site.procedure_fr = translate(procedure)
        site.checklist_fr = translate(checklist)
    return site


@pytest.fixture
def site_tree(db):
    return build_site()


@contextlib.contextmanager
def shared_data(django_db_blocker):
    """Data made once for many tests, inside a transaction rolled back afterwards.

    Tests still take the ``db`` fixture; their own changes roll back to this state.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def api_demo(django_db_setup, django_db_blocker):
    """The demo content, loaded once for a module and rolled back after it."""
    with shared_data(django_db_blocker):
        call_command("load_demo_content", "--no-accounts", verbosity=0)
        yield


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo in every locale, once for the module (translations publish on commit)."""
    from django.test import TestCase

    with shared_data(django_db_blocker):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_content", "--no-accounts", verbosity=0)
        yield
