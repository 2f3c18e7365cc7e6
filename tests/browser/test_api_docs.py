"""The interactive API docs work offline: Swagger UI renders every operation, and the
browser never asks another host for anything (the assets are drf-spectacular-sidecar's
pinned copies, served as the project's static files)."""

from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_swagger_ui_renders_every_operation_without_another_host(chromium, live_server):
    own_host = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context = chromium.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.route("**/*", only_this_server)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=30_000)
        document = yaml.safe_load(context.request.get(f"{live_server.url}/api/v1/schema/").body())
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
