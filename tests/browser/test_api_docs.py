"""The interactive API docs work offline: Swagger UI renders every operation, and the
browser never asks another host for anything (the assets are drf-spectacular-sidecar's
pinned copies, served as the project's static files).

The browser talks to the project through Django's test client (every request is routed
to it), so the test needs no live server and leaves the test database as it was.
"""

from urllib.parse import urlsplit

import pytest
import yaml
from django.test import Client
from playwright.sync_api import expect

from .conftest import ORIGIN, answer_from_django, watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_swagger_ui_renders_every_operation_without_another_host(chromium):
    """Swagger UI works offline and under its policy: no violation is reported."""
    own_host = urlsplit(ORIGIN).netloc
    elsewhere = []
    from_django = answer_from_django(Client(HTTP_HOST=own_host))

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == own_host:
            from_django(route)
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context = chromium.new_context(base_url=ORIGIN)
    try:
        page = context.new_page()
        violations = watch_csp_violations(page)
        page.route("**/*", only_this_server)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=30_000)
        document = yaml.safe_load(Client(HTTP_HOST=own_host).get("/api/v1/schema/").content)
        operations = {
            (method.upper(), path)
            for path, item in document["paths"].items()
            for method in item
            if method != "parameters"
        }
        assert page.locator(".opblock").count() == len(operations)
        paths_shown = {
            text.strip().replace("\u200b", "") for text in page.locator(".opblock-summary-path").all_inner_texts()
        }
        assert paths_shown == {path for _method, path in operations}
        assert not elsewhere, f"the docs asked other hosts for {elsewhere}"
        assert not errors, errors
        # Under the docs' Content-Security-Policy: scripts from this server only, none inline.
        assert not violations(), "\n".join(violations())
    finally:
        context.close()


def test_redoc_renders_under_its_policy(chromium):
    """Redoc draws the document and searches it with no violation but the blocked foreign logo."""
    own_host = urlsplit(ORIGIN).netloc
    context = chromium.new_context(base_url=ORIGIN)
    try:
        page = context.new_page()
        violations = watch_csp_violations(page)
        page.route("**/*", answer_from_django(Client(HTTP_HOST=own_host)))
        response = page.goto("/api/v1/redoc/")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.get_by_role("heading", name="Clinic content hub API")).to_be_visible(timeout=30_000)
        page.get_by_placeholder("Search...").fill("pages")  # searched by the worker Redoc starts from a blob
        page.wait_for_load_state("networkidle")
        # The one thing the policy blocks: Redoc's logo from its makers' host, as it should.
        found = [text for text in violations() if "cdn.redoc.ly" not in text]
        assert not found, "\n".join(found)
    finally:
        context.close()
