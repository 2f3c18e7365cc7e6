"""Playwright (sync API) against Debian's chromium, a live Django server, and screenshots of failures.

The browser is the system's ``/usr/bin/chromium`` (``make browser-deps`` installs it from
Debian packages); Playwright's own browser downloads are never used. A failing test
leaves a screenshot and the page's HTML in ``test-artifacts/``.
"""

import mimetypes
import os
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.management.sql import emit_post_migrate_signal
from playwright.sync_api import sync_playwright
from wagtail.models import Locale, Page, Site

from cms.review.markets import ensure_markets
from pages.locales import sync_locales
from tests.editor.conftest import clinic  # noqa: F401 - the same small clinic site as the editor tests

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Tests that route the browser to Django's test client use this origin.
ORIGIN = "http://localhost"

# Every Content-Security-Policy violation the page reports, as the browser reports it:
# the securitypolicyviolation event (added before any of the page's own scripts run).
_REPORT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${blocked} in ${event.documentURI}`);
});
"""


def watch_csp_violations(page):
    """Collect the page's CSP violations, from its console and its violation events.

    Returns a function giving the violations so far (the events of the current document
    and every console message naming the policy since the page opened)."""
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(_REPORT_VIOLATIONS)

    def violations():
        events = page.evaluate("window.__cspViolations || []")
        return console + events

    return violations


def answer_from_django(client):
    """A Playwright route handler answering requests to ORIGIN from Django, like a server would."""

    def answer(route):
        url = urlsplit(route.request.url)
        if url.path.startswith(settings.STATIC_URL):
            found = finders.find(url.path[len(settings.STATIC_URL) :])
            if not found:
                route.fulfill(status=404)
                return
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            route.fulfill(status=200, body=Path(found).read_bytes(), content_type=kind)
            return
        request = route.request
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in {"host", "cookie", "content-length", "content-type"}
        }
        response = client.generic(
            request.method,
            f"{url.path}?{url.query}" if url.query else url.path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=response.content)

    return answer


@pytest.fixture(scope="module")
def allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread, which Django's async guard
    mistakes for async code. Allowed only while a browser module runs, so that the rest of
    the suite (and any subprocess it starts) keeps the guard."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def chromium(allow_orm_beside_playwright):
    """Debian's headless chromium, started once per module and stopped with it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No chromium at {CHROMIUM}: run `make browser-deps` (apt-get install chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, save every open page of the test: a screenshot and its HTML."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = [value for value in item.funcargs.values() if hasattr(value, "screenshot")]
    for session in item.funcargs.values():
        pages += list(getattr(session, "open_pages", ()))
    ARTIFACTS.mkdir(exist_ok=True)
    for number, page in enumerate(dict.fromkeys(pages)):
        stem = ARTIFACTS / f"{item.name}-{number}"
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # a closed page cannot be captured; say so, do not hide the failure
            Path(f"{stem}.txt").write_text(f"Could not capture {page.url}: {exc}", encoding="utf-8")


@pytest.fixture
def migration_data(db):
    """What the migrations create (content types, permissions, locales, Wagtail's root
    page and default site, the markets), made again where missing: in the full suite a browser test may follow a
    transactional test whose flush was not followed by a restore of that data."""
    ContentType.objects.clear_cache()  # ids a flush renumbered
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # content types, permissions
    sync_locales()
    # wagtail-localize makes its "submit translation" permission in a data migration.
    submit_permission = import_module("wagtail_localize.migrations.0006_create_submit_translation_permission")
    submit_permission.create_submit_translation_permission(django_apps, None)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", root_page=Page.get_first_root_node(), is_default_site=True)
    ensure_markets()
