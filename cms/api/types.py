"""The page types the API serves, asked of Wagtail rather than listed by hand.

A page type's code is its model label, e.g. ``pages.ProcedurePage``: the value of a
page's ``type`` and of the ``?type=`` filter.
"""

from functools import lru_cache

from wagtail.models import Page, get_page_models


@lru_cache(maxsize=1)
def page_types():
    """Code -> model for every page type that declares public fields.

    A clinic page is served as its library page's type (``clinics.py``), never as its own.
    """
    return {
        model._meta.label: model
        for model in get_page_models()
        if model is not Page
        and getattr(model, "public_fields", None) is not None
        and not getattr(model, "serves_library_type", False)
    }


@lru_cache(maxsize=1)
def _by_content_type_natural_key():
    return {(model._meta.app_label, model._meta.model_name): code for code, model in page_types().items()}


def page_type_codes():
    """Every page type code, sorted (the ``PageTypeEnum`` of the schema)."""
    return sorted(page_types())


def type_code(app_label, model_name):
    """The type code for a content type's natural key, e.g. ``("pages", "procedurepage")``."""
    return _by_content_type_natural_key().get((app_label, model_name), f"{app_label}.{model_name}")


def type_of(page):
    return type(page)._meta.label
