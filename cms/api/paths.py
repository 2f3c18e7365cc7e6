"""Public URL paths of pages, e.g. ``/fr/procedures/microneedling/``.

Pages live under a site's root page in each locale, and the site serves them under a
language prefix (``i18n_patterns``). The path is computed from ``url_path`` and Wagtail's
cached site root paths, so it costs no query per page.
"""

from functools import lru_cache

from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from .locales import served_locales


@lru_cache(maxsize=64)
def locale_prefix(language_code):
    """``/fr/``: where the site serves a locale's pages."""
    with translation.override(language_code):
        return reverse("wagtail_serve", args=[""])


def root_paths():
    """``[(language_code, root url_path)]``, most specific first (Wagtail's cache)."""
    return [(root.language_code, root.root_path) for root in Site.get_site_root_paths()]


def page_path(url_path, language_code, roots=None):
    """The public path of a page with ``url_path`` in ``language_code``; None outside a site."""
    for root_language, root_path in roots if roots is not None else root_paths():
        if root_language == language_code and url_path.startswith(root_path):
            return locale_prefix(language_code) + url_path[len(root_path) :]
    return None


def url_path_for(path):
    """Split a public path into ``(language_code, [candidate url_paths])``.

    Returns ``(None, [])`` when the path names no served locale. Several candidates
    exist only when several sites share a language.
    """
    served = served_locales()
    for language_code in sorted(served, key=len, reverse=True):
        prefix = locale_prefix(language_code)
        if path == prefix.rstrip("/") or path.startswith(prefix):
            rest = path[len(prefix) :]
            if rest and not rest.endswith("/"):
                rest += "/"
            candidates = [
                root_path + rest for root_language, root_path in root_paths() if root_language == language_code
            ]
            return language_code, candidates
    return None, []
