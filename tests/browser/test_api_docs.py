"""The interactive API docs work offline: Swagger UI renders every operation, and the
browser never asks another host for anything (the assets are drf-spectacular-sidecar's
pinned copies, served as the project's static files).

The browser talks to the project through Django's test client (every request is routed
to it), so the test needs no live server and leaves the test database as it was.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
ORIGIN = "http://localhost"


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
        response = client.generic(route.request.method, f"{url.path}?{url.query}" if url.query else url.path)
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=response.content)

    return answer


def test_swagger_ui_renders_every_operation_without_another_host(chromium):
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
    finally:
        context.close()
