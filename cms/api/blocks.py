"""StreamField blocks as JSON, and their OpenAPI schema, derived from the block definitions.

A stream is served as ``[{"type": "step", "id": "…", "value": {…}}]``; each block type's
``value`` schema follows from its definition (a StructBlock becomes an object of its
children, a ChoiceBlock an enum of codes, a snippet chooser the snippet's public fields),
so adding a block or a child block needs no change here.
"""

import datetime
from decimal import Decimal

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from . import richtext


def stream_value(stream, context):
    """A StreamValue as a list of typed blocks."""
    return [
        {"type": child.block_type, "id": child.id, "value": block_value(child.block, child.value, context)}
        for child in stream
    ]


def block_value(block, value, context):
    """One block's value as plain JSON data. ``context`` is a RenderContext."""
    if isinstance(block, blocks.StreamBlock):
        return stream_value(value, context)
    if isinstance(block, blocks.StructBlock):
        return {name: block_value(child, value.get(name), context) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [block_value(block.child_block, item, context) for item in value]
    if isinstance(block, blocks.RichTextBlock):
        return richtext.render(value.source if value is not None else "", context)
    if isinstance(block, blocks.PageChooserBlock):
        return context.page_reference(value.pk) if value is not None else None
    if isinstance(block, SnippetChooserBlock):
        return snippet_value(value, context)
    if isinstance(block, ImageChooserBlock):
        return context.image(value, alt=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(block, blocks.ChoiceBlock | blocks.CharBlock | blocks.TextBlock | blocks.URLBlock):
        return value if value is not None else ""
    return block.get_api_representation(value, context=None)


def snippet_value(snippet, context):
    """A chosen snippet: its translation key plus its declared public fields."""
    if snippet is None:
        return None
    from .content import render_content

    context.snippet(snippet)
    if getattr(type(snippet), "public_fields", None):
        return render_content(snippet, context)
    return {"id": snippet.pk}


def collect_references(block, value, found, snippets=None):
    """Add the page ids linked from ``value`` (rich text, page choosers) to ``found``, and
    the snippets it chooses (e.g. devices) to ``snippets`` when given."""
    if value is None:
        return
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            collect_references(child.block, child.value, found, snippets)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            collect_references(child, value.get(name), found, snippets)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            collect_references(block.child_block, item, found, snippets)
    elif isinstance(block, blocks.RichTextBlock):
        found.update(richtext.linked_page_ids(value.source))
    elif isinstance(block, blocks.PageChooserBlock):
        found.add(value.pk)
    elif isinstance(block, SnippetChooserBlock) and snippets is not None:
        snippets.add(value.pk)


# --- Schema --------------------------------------------------------------------------------


def stream_schema(stream_block, resolve):
    """OpenAPI schema of a stream: an array whose items are one of its block types.

    ``resolve(serializer_class)`` returns a ``$ref`` to a component (drf-spectacular's
    resolver), used for snippets and images.
    """
    variants = []
    for name, child in stream_block.child_blocks.items():
        variants.append(
            {
                "type": "object",
                "title": str(child.label or name),
                "properties": {
                    "type": {"type": "string", "enum": [name]},
                    "id": {"type": "string"},
                    "value": block_schema(child, resolve),
                },
                "required": ["type", "id", "value"],
            }
        )
    items = variants[0] if len(variants) == 1 else {"oneOf": variants}
    return {"type": "array", "items": items}


def block_schema(block, resolve):
    """OpenAPI schema of one block's value."""
    required = getattr(block, "required", True) if not isinstance(block, blocks.StructBlock) else True
    description = str(block.meta.help_text) if getattr(block.meta, "help_text", None) else None
    if isinstance(block, blocks.StreamBlock):
        schema = stream_schema(block, resolve)
    elif isinstance(block, blocks.StructBlock):
        schema = {
            "type": "object",
            "properties": {name: block_schema(child, resolve) for name, child in block.child_blocks.items()},
            "required": list(block.child_blocks),
        }
    elif isinstance(block, blocks.ListBlock):
        schema = {"type": "array", "items": block_schema(block.child_block, resolve)}
    elif isinstance(block, blocks.ChoiceBlock):
        codes = [str(code) for code, _label in _flat_choices(block)]
        schema = {"type": "string", "enum": codes if required else [*codes, ""]}
    elif isinstance(block, blocks.RichTextBlock):
        schema = {"type": "string", "description": "HTML; internal links point at public pages only."}
    elif isinstance(
        block, blocks.CharBlock | blocks.TextBlock | blocks.URLBlock | blocks.EmailBlock | blocks.RegexBlock
    ):
        schema = {"type": "string"}
    elif isinstance(block, blocks.IntegerBlock):
        schema = _maybe_null({"type": "integer"}, not required)
    elif isinstance(block, blocks.FloatBlock | blocks.DecimalBlock):
        schema = _maybe_null({"type": "number"}, not required)
    elif isinstance(block, blocks.BooleanBlock):
        schema = {"type": "boolean"}
    elif isinstance(block, blocks.DateBlock):
        schema = _maybe_null({"type": "string", "format": "date"}, not required)
    elif isinstance(block, SnippetChooserBlock):
        schema = _snippet_schema(block.target_model, resolve)
    elif isinstance(block, blocks.PageChooserBlock):
        from .serializers import PageReferenceSerializer

        schema = nullable(resolve(PageReferenceSerializer))
    elif isinstance(block, ImageChooserBlock):
        from .serializers import ImageSerializer

        schema = nullable(resolve(ImageSerializer))
    else:
        schema = {}
    if description and "description" not in schema:
        schema["description"] = description
    return schema


def nullable(schema):
    """``schema`` or null, as OpenAPI 3.1 (JSON Schema) writes it.

    A ``$ref`` becomes ``oneOf: [{$ref}, {type: null}]``; a typed schema gets ``null``
    added to its ``type``. (OpenAPI 3.0's ``nullable`` beside a bare ``$ref`` or
    ``allOf`` is ignored by strict validators.)
    """
    if "type" in schema and "$ref" not in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"] if "null" not in types else types}
    return {"oneOf": [schema, {"type": "null"}]}


def _maybe_null(schema, allow_null):
    return nullable(schema) if allow_null else schema


def _snippet_schema(model, resolve):
    if getattr(model, "public_fields", None):
        from .content import content_serializer

        return nullable(resolve(content_serializer(model)))
    return {"type": ["object", "null"], "properties": {"id": {"type": "integer"}}}


def _flat_choices(block):
    choices = block.field.choices if hasattr(block, "field") else []
    flat = []
    for code, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        elif code != "":
            flat.append((code, label))
    return flat
