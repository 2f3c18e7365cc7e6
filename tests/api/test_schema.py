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
    assert procedure["session_minutes"]["allOf"][0]["$ref"] == "#/components/schemas/Range"
    assert procedure["hero_image"]["allOf"][0]["$ref"] == "#/components/schemas/Image"
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
    assert b"/api/v1/schema/" in response.content
