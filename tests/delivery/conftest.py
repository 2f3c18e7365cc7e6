"""Small site builders for the delivery tests: a home, a procedure index, translations."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import TestCase
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import TranslationSource

from pages.models import HomePage, ProcedureIndexPage


@pytest.fixture
def locales(db):
    """en (default), fr, de, es, as CMS_LOCALES declares them."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "fr", "de", "es")}


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_page(parent, title, slug, page_class=ProcedureIndexPage, live=True):
    """A child of ``parent``; published unless ``live`` is False."""
    page = parent.add_child(instance=page_class(title=title, slug=slug, live=False))
    return publish(page) if live else page


def translate(page, locale, *, publish=True):
    """The wagtail-localize translation of ``page`` into ``locale`` (source text kept)."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    # wagtail-localize publishes once the transaction commits; tests run inside one.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translated, _created = source.create_or_update_translation(
            locale, publish=publish, copy_parent_pages=True, fallback=True
        )
    translated.refresh_from_db()
    return translated


@pytest.fixture
def home(locales):
    """A published English home page, root of the default site."""
    # A transactional test flushes the tree the migrations made; grow a new root then.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    page = root.add_child(instance=HomePage(title="Clinic", slug="clinic", live=False))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": page, "hostname": "localhost"})
    return publish(page)


@pytest.fixture
def treatments(home):
    """/en/treatments/, a published procedure index under the home page."""
    return add_page(home, "Treatments", "treatments")


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what webhooks send it.

    ``answers`` is a list of (status, delay seconds) or (status, delay seconds, headers,
    body) consumed one per request; when it runs out, requests get 204.
    """

    def __init__(self):
        self.requests = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "json": json.loads(body)})
                status, delay, *reply = receiver.answers.pop(0) if receiver.answers else (204, 0)
                headers, reply_body = reply or ({}, b"")
                if delay:
                    receiver.release.wait(delay)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(reply_body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply_body)

            def log_message(self, *args):
                pass

        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def internal_receivers_allowed(settings):
    """The operator's allow-list naming 127.0.0.1, where the test receivers listen."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def receiver(internal_receivers_allowed):
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def export_key(db):
    """Request headers carrying an API key with the export scope."""
    from cms.api.models import ApiKey

    _key, raw_key = ApiKey.objects.create_key(name="Clinic app", scopes=["export"])
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw_key}"}


# --- The demo clinics ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clinic_demo(django_db_setup, django_db_blocker):
    """The demo with its accounts, once for the module: the group's site serves the library
    (en, fr, de, es); Madrid (es, en) and London (en) show its microneedling pages, and
    only Madrid its safety checklist. Each test's own changes roll back."""
    from django.core.management import call_command

    from tests.api.conftest import shared_data

    with shared_data(django_db_blocker):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_content", verbosity=0)
        yield


@pytest.fixture
def clinics(clinic_demo, db):
    """The demo clinics, with a cache emptied before and after: a test's changes roll back,
    the answers it cached must go with them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def clinic_key(name):
    """The translation key (str) of demo page ``name``, e.g. "clinic-madrid-microneedling"."""
    from pages.demo.loader import demo_key

    return str(demo_key(name))


def bound_key(scopes, site_code=None):
    """Request headers with a new API key of ``scopes``, bound to clinic ``site_code`` when given."""
    from cms.api.models import ApiKey
    from pages.models import Clinic

    api_key, raw = ApiKey.objects.create_key(name=f"App {site_code or 'hub'}", scopes=scopes)
    if site_code is not None:
        api_key.site = Clinic.objects.get(slug=site_code).site
        api_key.save()
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
