"""drf-spectacular hooks: the public schema documents the delivery API and nothing else."""


def only_delivery_api(endpoints, **kwargs):
    """Drop endpoints outside /api/v1/ (e.g. wagtail-localize's admin-only API views)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def api_version_header(result, **kwargs):
    """Every response of every operation carries ``API-Version`` (``middleware.ApiVersionMiddleware``)."""
    from .middleware import API_VERSION_HEADER, api_version

    result.setdefault("components", {}).setdefault("headers", {})["ApiVersion"] = {
        "description": (
            "The version of this document the server answers by (semantic versioning, the document's "
            "info.version): a client generated from an older document sees when it changed."
        ),
        "schema": {"type": "string", "examples": [api_version()]},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                response.setdefault("headers", {})[API_VERSION_HEADER] = {"$ref": "#/components/headers/ApiVersion"}
    return result
