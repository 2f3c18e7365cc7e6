"""What a medical approval is bound to: the SHA-256 of the canonical JSON of what the page shows.

The content is taken from the delivery API's own representation
(``cms.api.representation.page_representation``), so what a reviewer approves is what
apps are served, with nothing written twice: the page's title, SEO text and
``content`` (devices of a comparison included, images with their alt text), the
title of the page it sits under and the titles of the pages it links to. Left out:
rendition URLs (where a file is served, not what it shows), the page's translations,
children and ``meta`` (which holds the approval itself).

Canonical JSON: keys sorted, no spaces, UTF-8, dates in ISO 8601.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder


def approved_content(page):
    """The dict an approval of ``page`` (a specific page or a revision's object) covers."""
    from cms.api.references import related_rows
    from cms.api.representation import DRAFT, linked_page_ids, page_representation

    locale = page.locale.language_code
    data = page_representation(page, requested_locale=locale, version=DRAFT)
    linked = linked_page_ids(page)
    links = sorted(
        ({"key": row.key, "title": row.title} for row in related_rows(page, linked) if row.id in linked),
        key=lambda link: link["key"],
    )
    parent = data["parent"]
    return {
        "type": data["type"],
        "locale": locale,
        "title": data["title"],
        "seo_title": data["seo"]["seo_title"],
        "search_description": data["seo"]["search_description"],
        "parent": {"key": parent["key"], "title": parent["title"]} if parent else None,
        "links": links,
        "content": _without_renditions(data["content"]),
    }


def canonical_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data):
    return hashlib.sha256(canonical_json(data)).hexdigest()


def content_hash(page):
    """The SHA-256 of :func:`approved_content` of ``page``."""
    return sha256(approved_content(page))


def _without_renditions(value):
    if isinstance(value, dict):
        return {key: _without_renditions(item) for key, item in value.items() if key != "renditions"}
    if isinstance(value, list):
        return [_without_renditions(item) for item in value]
    return value
