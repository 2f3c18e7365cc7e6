"""Previews rendered from the delivery API's JSON, in the page's own locale.

The admin preview and the signed front-end preview both start from the dict the API
serves for the page (or for a draft revision); templates only lay it out. There is no
second serialisation to drift from the API.
"""

from django.template.response import TemplateResponse
from django.utils import translation


def page_json(page):
    """The API's JSON for ``page`` as it stands (a draft when ``page`` is one)."""
    from cms.api.representation import page_representation  # noqa: PLC0415

    return page_representation(page)


def preview_template(page):
    return [f"previews/{page._meta.model_name}.html", "previews/page.html"]


def preview_context(page, request):
    return {"page": page, "data": page_json(page), "request": request}


def serve_preview(page, request, mode_name):
    """Render the preview in the page's language, whatever the admin user's language is."""
    with translation.override(page.locale.language_code):
        response = TemplateResponse(
            request, page.get_preview_template(request, mode_name), page.get_preview_context(request, mode_name)
        )
        response.render()
    response["Content-Language"] = page.locale.language_code
    return response
