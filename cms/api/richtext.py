"""Rich text as the API serves it: HTML whose internal links point at public URLs.

Wagtail stores a link to a page as ``<a linktype="page" id="42">``. The API replaces it
with the localised path of the target's public copy (the served locale's translation
when it has one) or, when the target is a draft, unpublished or private page, with a
bare ``<a>``, so a URL that should not exist yet never leaks. The targets are looked up
in one query for the whole page (see ``references.py``), not one per link.
"""

import re

from django.utils.html import escape
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import extract_attrs

PAGE_LINK = re.compile(r"<a(\b[^>]*\blinktype=\"page\"[^>]*)>")


def linked_page_ids(html):
    """Ids of the pages ``html`` links to."""
    ids = set()
    for match in PAGE_LINK.finditer(html or ""):
        page_id = extract_attrs(match.group(1)).get("id", "")
        if page_id.isdigit():
            ids.add(int(page_id))
    return ids


def render(html, context):
    """Front-end HTML for stored rich text ``html``.

    Args:
        html: rich text as Wagtail stores it.
        context: the RenderContext that knows which linked pages are public and where.
    """
    if not html:
        return ""

    def page_link(match):
        page_id = extract_attrs(match.group(1)).get("id", "")
        path = context.link_path(int(page_id)) if page_id.isdigit() else None
        return f'<a href="{escape(path)}">' if path else "<a>"

    html = PAGE_LINK.sub(page_link, html)
    # Other link types (documents) and embeds keep Wagtail's own handling.
    if "linktype=" in html or "<embed" in html:
        html = expand_db_html(html)
    return html
