"""drf-spectacular extensions: the OpenAPI schema of the fields ``content.py`` generates.

Loaded from ``ApiConfig.ready``. Each extension says what one kind of declared public
field looks like, so every page type's ``content`` is its own typed component.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension

from . import blocks


def _resolver(auto_schema, direction):
    return lambda serializer: auto_schema.resolve_serializer(serializer, direction).ref


class RichTextSchema(OpenApiSerializerFieldExtension):
    target_class = "cms.api.content.RichTextContentField"

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "description": "HTML. Internal links point at public pages; others have no href."}


class StreamSchema(OpenApiSerializerFieldExtension):
    target_class = "cms.api.content.StreamContentField"

    def map_serializer_field(self, auto_schema, direction):
        return blocks.stream_schema(self.target.stream_block, _resolver(auto_schema, direction))


class ImageSchema(OpenApiSerializerFieldExtension):
    target_class = "cms.api.content.ImageContentField"

    def map_serializer_field(self, auto_schema, direction):
        from .serializers import ImageSerializer

        return _resolver(auto_schema, direction)(ImageSerializer)


class RangeSchema(OpenApiSerializerFieldExtension):
    target_class = "cms.api.content.RangeContentField"

    def map_serializer_field(self, auto_schema, direction):
        from .serializers import RangeSerializer

        return _resolver(auto_schema, direction)(RangeSerializer)


class DerivedSchema(OpenApiSerializerFieldExtension):
    target_class = "cms.api.content.DerivedContentField"

    def map_serializer_field(self, auto_schema, direction):
        return _resolver(auto_schema, direction)(self.target.serializer_class)


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = "cms.api.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Authorization: Api-Key <key>. Needed only for drafts and scoped endpoints.",
        }
