"""The OpenAPI schema: valid, typed per page type, and honoured by every response.

schemathesis calls every operation against the demo content (examples and fuzzing,
bounded) and checks that nothing answers 5xx or breaks the schema.
"""

import pytest
import schemathesis
import yaml
from django.core import signals
from django.db import close_old_connections
from openapi_spec_validator import validate

from cms.wsgi import application


@pytest.fixture(scope="module")
def openapi(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/v1/schema/").content)


def test_schema_is_valid_openapi(openapi):
    validate(openapi)
    assert set(openapi["paths"]) >= {
        "/api/v1/locales/",
        "/api/v1/pages/",
        "/api/v1/pages/{key}/",
        "/api/v1/pages/find/",
    }


def test_each_page_type_has_its_own_typed_content(openapi):
    schemas = openapi["components"]["schemas"]

    def enum(schema):
        return schemas[schema["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in schema else schema["enum"]

    procedure = schemas["ProcedurePageContent"]["properties"]
    assert enum(procedure["performed_by"]["items"]) == ["dermatologist", "aesthetician", "self"]
    # OpenAPI 3.1: a reference that may be null is oneOf [the reference, null].
    assert procedure["session_minutes"]["oneOf"] == [{"$ref": "#/components/schemas/Range"}, {"type": "null"}]
    assert procedure["hero_image"]["oneOf"] == [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]
    step = procedure["steps"]["items"]["properties"]["value"]
    assert set(step["properties"]) == {"title", "description"}
    item = schemas["SafetyChecklistPageContent"]["properties"]["items"]["items"]["properties"]["value"]
    assert item["properties"]["phase"]["enum"] == ["before", "during", "after"]
    assert item["properties"]["importance"]["enum"] == ["required", "recommended"]
    comparison = schemas["DeviceComparisonPageContent"]["properties"]["comparison"]
    assert comparison["allOf"][0]["$ref"] == "#/components/schemas/ComparisonMatrix"
    page = schemas["Page"]
    assert page["discriminator"]["propertyName"] == "type"
    assert page["discriminator"]["mapping"]["pages.ProcedurePage"] == "#/components/schemas/ProcedurePage"


def test_every_shape_is_documented_as_served(openapi):
    from cms.api.types import page_types

    schemas = openapi["components"]["schemas"]

    def resolve(schema):
        while "$ref" in schema or ("allOf" in schema and len(schema["allOf"]) == 1):
            schema = schema["allOf"][0] if "allOf" in schema else schema
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    # Summaries and references name their type from a closed list.
    for name in ("PageSummary", "PageReference"):
        assert set(resolve(schemas[name]["properties"]["type"])["enum"]) == set(page_types())
    # locale=* has its own shape, beside a page, on both detail endpoints, and its own path.
    for path in ("/api/v1/pages/{key}/", "/api/v1/pages/find/"):
        ok = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert {one["$ref"] for one in resolve(ok)["oneOf"]} == {
            "#/components/schemas/Page",
            "#/components/schemas/PageVersions",
        }
    versions = openapi["paths"]["/api/v1/pages/{key}/versions/"]["get"]["responses"]["200"]
    assert versions["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PageVersions"}
    assert schemas["PageVersions"]["properties"]["versions"]["additionalProperties"] == {
        "$ref": "#/components/schemas/Page"
    }
    # Comparison rows: a union discriminated by type, each kind with its own cells.
    rows = resolve(schemas["ComparisonMatrix"]["properties"]["rows"]["items"])
    assert rows["discriminator"]["propertyName"] == "type"
    kinds = {kind: resolve({"$ref": ref}) for kind, ref in rows["discriminator"]["mapping"].items()}
    assert set(kinds) == {"range", "choice", "choices", "text"}
    for kind, row in kinds.items():
        assert resolve(row["properties"]["type"])["enum"] == [kind]
    assert kinds["range"]["properties"]["values"]["items"]["oneOf"][0] == {"$ref": "#/components/schemas/Range"}
    assert resolve(kinds["choice"]["properties"]["values"]["items"])["enum"]
    assert resolve(kinds["choices"]["properties"]["values"]["items"]["items"])["enum"]
    assert kinds["text"]["properties"]["values"]["items"] == {"type": "string"}


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.generation.update(max_examples=25, allow_x00=False)
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(scope="module")
def open_connection():
    """Keep the test's database connection across WSGI calls, as Django's test client does.

    Django closes connections at the end of each request; inside the test's transaction
    (on PostgreSQL) that would close the connection the test is using.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
def test_api_honours_its_schema(case, api_demo, open_connection):
    case.call_and_validate()


def test_interactive_docs_point_at_the_schema(db, client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    # Swagger UI's set-up is a script of its own (the docs' policy allows no inline script).
    assert b'src="/api/v1/docs/?script="' in response.content
    setup = client.get("/api/v1/docs/", {"script": ""})
    assert setup["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in setup.content


def test_interactive_docs_load_nothing_from_another_host(db, client):
    """Swagger UI comes from drf-spectacular-sidecar's pinned copy, served as our static files."""
    from html.parser import HTMLParser

    from django.contrib.staticfiles import finders

    class Links(HTMLParser):
        found = []

        def handle_starttag(self, tag, attrs):
            self.found += [value for name, value in attrs if name in ("src", "href") and value]

    for docs, script in (("/api/v1/docs/", "swagger-ui-bundle.js"), ("/api/v1/redoc/", "redoc.standalone.js")):
        page = client.get(docs).content.decode()
        parser = Links()
        parser.found = []
        parser.feed(page)
        assets = [url for url in parser.found if not url.startswith("#")]
        assert any(url.endswith(script) for url in assets), assets
        for url in assets:
            assert url.startswith("/") and not url.startswith("//"), f"{docs}: {url} is not served from this host"
            if url.startswith("/static/"):
                assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file of the project"
        assert "cdn.jsdelivr" not in page and "unpkg" not in page
