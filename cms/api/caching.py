"""Cached API output, and when it stops being valid.

Everything the API caches (rendered pages, whole responses) is keyed under a
*generation*: a token in Django's cache that changes whenever published content does
(publish, unpublish, move, delete, a translation published, a device or a view
restriction edited, a site changed). Changing it makes every older entry unreachable
at once, which is what a page needs: its JSON also shows its parent, children,
translations and link targets. Entries then age out of the cache on their own.

The cache is Django's ``default`` cache: Redis when ``REDIS_URL`` is set (shared by every
worker), local memory otherwise (one process, the embedded default).
"""

import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "api:v1:generation"


def enabled():
    """Whether the API caches its output (``API_CACHE_ENABLED``; off only to measure)."""
    return getattr(settings, "API_CACHE_ENABLED", True)


def _timeout():
    return getattr(settings, "API_CACHE_TIMEOUT", 3600)


def generation():
    """The current generation token, ``"<milliseconds>-<random>"``, created on first use."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), None)
        token = cache.get(GENERATION_KEY) or _new_token()
    return token


def generation_time(token):
    """When a generation began: the ``Last-Modified`` of everything served under it."""
    millis = int(token.split("-", 1)[0], 16)
    return datetime.fromtimestamp(millis // 1000, tz=UTC)


def bump_generation(**_signal_kwargs):
    """Invalidate every cached response and rendering (a signal receiver, too)."""
    cache.set(GENERATION_KEY, _new_token(), None)


def _new_token():
    return f"{int(time.time() * 1000):x}-{secrets.token_hex(4)}"


def render_key(page_id, revision_id, locale_id, requested_locale):
    return f"api:v1:render:{generation()}:{page_id}:{revision_id}:{locale_id}:{requested_locale}"


def get(key):
    return cache.get(key)


def set(key, value, timeout=None):  # noqa: A001 - mirrors cache.set
    cache.set(key, value, _timeout() if timeout is None else timeout)


def connect_signals():
    """Bump the generation whenever something the API serves changes (called in AppConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move
    from wagtail_localize.models import StringTranslation

    from pages.snippets import Device

    page_published.connect(bump_generation, dispatch_uid="api-page-published")
    page_unpublished.connect(bump_generation, dispatch_uid="api-page-unpublished")
    post_page_move.connect(bump_generation, dispatch_uid="api-page-moved")

    def on_page_delete(sender, instance, **kwargs):
        if isinstance(instance, Page):
            bump_generation()

    post_delete.connect(on_page_delete, dispatch_uid="api-page-deleted", weak=False)
    for model in (Device, PageViewRestriction, Site, StringTranslation):
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"api-save-{model._meta.label}")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"api-delete-{model._meta.label}")
