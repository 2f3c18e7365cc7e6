"""drf-spectacular: how the delivery endpoints authenticate, for the OpenAPI schema.

The API app documents its own key scheme; this one, at a lower priority, only stands
in when that one is absent, so the delivery endpoints are documented either way.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeySchemaFallback(OpenApiAuthenticationExtension):
    target_class = "cms.api.auth.ApiKeyAuthentication"
    name = "ApiKey"
    priority = -1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Authorization: Api-Key <key>, for a key with the export scope.",
        }
