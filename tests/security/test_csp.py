"""Which Content-Security-Policy each kind of response carries (cms.security.csp); the
browser tests (tests/browser) check that the admin and the docs work under them."""

import pytest
from django.test import override_settings


def policy(response):
    return dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))


@pytest.mark.django_db
def test_api_reads_are_strict_cached_or_not(client):
    first, second = client.get("/api/v1/locales/"), client.get("/api/v1/locales/")
    assert first.status_code == second.status_code == 200
    assert second["X-Cache"] == "hit"
    for response in (first, second):
        assert policy(response) == {
            "default-src": "'none'",
            "base-uri": "'none'",
            "form-action": "'none'",
            "frame-ancestors": "'none'",
        }


@pytest.mark.django_db
def test_problem_documents_are_strict_too(client):
    response = client.get("/api/v1/pages/", {"limit": "many"})
    assert response.status_code == 400
    assert policy(response)["default-src"] == "'none'"


@pytest.mark.django_db
def test_the_admin_allows_its_media_host_and_nothing_else(client):
    with override_settings(MEDIA_URL="https://media.example-cdn.com/clinic/"):
        admin = policy(client.get("/admin/login/"))
    assert admin["img-src"] == "'self' data: blob: https://media.example-cdn.com"
    assert admin["script-src"] == "'self' 'unsafe-inline'"
    assert admin["frame-ancestors"] == "'self'"  # Wagtail's live preview frames the admin's own pages
    assert policy(client.get("/admin/login/"))["img-src"] == "'self' data: blob:"


def test_the_docs_name_no_other_host(client):
    for path in ("/api/v1/docs/", "/api/v1/docs/?script=", "/api/v1/redoc/"):
        docs = policy(client.get(path))
        assert docs["default-src"] == "'none'" and docs["script-src"] == "'self'", path
        assert all("http" not in sources for sources in docs.values()), path
