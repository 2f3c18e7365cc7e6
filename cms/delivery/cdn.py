"""Purging the CDN after a change, in every locale that serves the changed page.

Wagtail's own frontend-cache signal handlers purge inside the publishing transaction,
so a CDN can fetch and keep the old version before the commit lands, and they only
know the page's own URL. Here the purge runs after the commit and covers, for each
locale that serves the page (its own and those falling back to it), the API detail and
find-by-path URLs, plus the page's own web URL. The purge itself is Wagtail's task
(``purge_urls_from_cache``), so it runs on the task framework like webhooks.
"""

from urllib.parse import urlencode

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Site


def public_base_url():
    """The scheme and host the CDN serves, e.g. https://content.clinic.example."""
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url.rstrip("/") if site else ""


def urls_to_purge(pairs, base_url):
    urls = set()
    for row, locale in pairs:
        urls.add(f"{base_url}/api/v1/pages/{row.key}/?{urlencode({'locale': locale})}")
        if row.path:
            urls.add(f"{base_url}/api/v1/pages/find/?{urlencode({'path': row.path, 'locale': locale})}")
            if locale == row.locale:
                urls.add(f"{base_url}{row.path}")
    return sorted(urls)


def purge_changed(pairs):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None) or not pairs:
        return []
    urls = urls_to_purge(pairs, public_base_url())
    purge_urls_from_cache(urls)
    return urls
