"""What a translator should know about the field a segment comes from.

wagtail-localize stores, for every segment, a field path such as ``steps.step.title``
(model field, then StreamField block types). This module reads the model and block
definitions behind that path: the block type, a readable label and the length limit
the field enforces, so a package can tell the translator "Treatment step > Step,
at most 120 characters".
"""

from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from wagtail import blocks
from wagtail.fields import StreamField


@dataclass(frozen=True)
class FieldInfo:
    """Context for one field path of one model."""

    label: str
    block_type: str | None
    max_length: int | None


def _block_limit(block):
    field = getattr(block, "field", None)
    return getattr(field, "max_length", None) if field is not None else None


def _walk_blocks(block, names):
    """Follow block names through Stream/Struct/List blocks; return (labels, innermost stream child name, leaf)."""
    labels, block_type = [], None
    for name in names:
        if isinstance(block, blocks.ListBlock):
            block = block.child_block
            continue
        children = getattr(block, "child_blocks", None)
        if not children or name not in children:
            break
        if isinstance(block, blocks.StreamBlock):
            block_type = name
        block = children[name]
        labels.append(str(block.label or name))
    return labels, block_type, block


@lru_cache(maxsize=512)
def describe_field(model, field_path):
    """Describe ``field_path`` (wagtail-localize's dotted path) on ``model``.

    Unknown paths (a field renamed since the source was extracted) get the path itself
    as label and no limit, never an error: an export must not fail on old data.
    """
    name, *rest = field_path.split(".")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return FieldInfo(label=field_path, block_type=None, max_length=None)
    label = str(getattr(field, "verbose_name", name))
    if isinstance(field, StreamField) and rest:
        labels, block_type, leaf = _walk_blocks(field.stream_block, rest)
        return FieldInfo(
            label=" > ".join([label, *labels]),
            block_type=block_type,
            max_length=_block_limit(leaf),
        )
    return FieldInfo(label=label, block_type=None, max_length=getattr(field, "max_length", None))
