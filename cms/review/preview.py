"""Previews rendered from the delivery API's JSON, in the page's own locale.

The admin preview and the signed front-end preview both start from the dict the API
serves for the page (``cms.api.representation.page_representation``, draft version);
templates only lay it out. There is no second serialisation to drift from the API.
"""

from django.template.response import TemplateResponse
from django.utils import translation


def page_json(page, request=None):
    """The API's JSON for ``page`` as it stands: the form's unsaved draft in the admin."""
    from cms.api.representation import DRAFT, page_representation

    return page_representation(page, requested_locale=page.locale.language_code, request=request, version=DRAFT)


def preview_template(page):
    return [f"previews/{page._meta.model_name}.html", "previews/page.html"]


def preview_context(page, request):
    return {"data": page_json(page, request), "request": request}


def serve_preview(page, request, mode_name):
    """Render the preview in the page's language, whatever the admin user's language is."""
    with translation.override(page.locale.language_code):
        response = TemplateResponse(
            request, page.get_preview_template(request, mode_name), page.get_preview_context(request, mode_name)
        )
        response.render()
    response["Content-Language"] = page.locale.language_code
    return response


class ApiJsonPreviewMixin:
    """For page models: Wagtail's preview draws the API's JSON with ``templates/previews/``."""

    def get_preview_template(self, request, mode_name):
        return preview_template(self)

    def get_preview_context(self, request, mode_name):
        return preview_context(self, request)

    def serve_preview(self, request, mode_name):
        return serve_preview(self, request, mode_name)
