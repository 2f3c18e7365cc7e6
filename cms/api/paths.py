"""Public URL paths of pages, e.g. ``/fr/procedures/microneedling/``, and absolute URLs.

Pages live under a site's root page in each locale, and the site serves them under a
language prefix (``i18n_patterns``). The path is computed from ``url_path`` and Wagtail's
cached site root paths, so it costs no query per page.

Absolute URLs come from configuration, never from the request's Host header (a cached
response is shared by every host): a page's URL on the clinic website is its Site's
root URL (Settings › Sites: hostname and port, per site) plus its path; what the API
itself serves (media with a relative ``MEDIA_URL``, pagination links) is under
:func:`api_base_url`.
"""

from functools import lru_cache

from django.conf import settings
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


# --- Absolute URLs ------------------------------------------------------------------------

_default_site_urls = {}


def api_base_url():
    """Scheme and host of the API, e.g. ``https://content.clinic.example`` (no trailing slash).

    ``PUBLIC_BASE_URL`` when set, else the default Site's root URL. The default Site is
    read once per set of site root paths (which Wagtail rebuilds on any Site change).
    """
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    roots = tuple(Site.get_site_root_paths())
    if roots not in _default_site_urls:
        site = Site.objects.filter(is_default_site=True).first()
        _default_site_urls.clear()
        _default_site_urls[roots] = site.root_url.rstrip("/") if site else ""
    return _default_site_urls[roots]


def absolute(url, base=None):
    """``url`` made absolute under ``base`` (default :func:`api_base_url`); absolute URLs stay as they are."""
    if url is None or "://" in url or url.startswith("//"):
        return url
    return (api_base_url() if base is None else base) + url


def site_root_url(url_path, language_code):
    """Root URL of the website showing a page with ``url_path`` in ``language_code``, or None:
    its clinic's front-end URL when set (``pages.models.Clinic``), else its Site's root URL."""
    for root in Site.get_site_root_paths():
        if root.language_code == language_code and url_path.startswith(root.root_path):
            return _front_end_url(root.site_id) or root.root_url.rstrip("/")
    return None


def _front_end_url(site_id):
    from .sites import scope_by_id

    scope = scope_by_id(site_id)
    return scope.frontend_url.rstrip("/") if scope is not None and scope.frontend_url else ""


def locale_root_urls(site_url):
    """``{language_code: root URL}`` of every locale's Site, preferring ``site_url``'s own."""
    found = {}
    for root in Site.get_site_root_paths():
        url = _front_end_url(root.site_id) or root.root_url.rstrip("/")
        if root.language_code not in found or url == site_url:
            found[root.language_code] = url
    return found
