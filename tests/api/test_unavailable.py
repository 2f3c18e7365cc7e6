"""A database outage during a read is a 503 that says when to try again, never a 500."""

import pytest
from django.db import OperationalError, connection

from .conftest import build_site


def failing_database(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/pages/{key}/", "/api/v1/pages/?locale=fr", "/api/v1/pages/find/?path=/en/microneedling/"],
)
def test_a_database_outage_is_a_503_with_retry_after(db, api, path):
    site = build_site(with_french=False)
    url = path.format(key=site.procedure.translation_key)
    with connection.execute_wrapper(failing_database):
        response = api.get(url)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["status"] == 503 and "try again" in response.json()["detail"]
    # Nothing was kept: once the database is back, the read answers as usual.
    assert api.get(url).status_code == 200


def test_a_bug_in_a_query_is_still_a_500_not_a_503(db, api, monkeypatch):
    from django.db import ProgrammingError

    site = build_site(with_french=False)

    def broken(execute, sql, params, many, context):
        raise ProgrammingError("column does not exist")

    api.raise_request_exception = False
    with connection.execute_wrapper(broken):
        response = api.get(f"/api/v1/pages/{site.procedure.translation_key}/")
    assert response.status_code == 500
    assert "Retry-After" not in response
