"""Hooks that pages/ calls, so the apps that govern content take part without pages/ importing them.

``BEFORE_PUBLISH``: called as ``fn(page, revision, user)`` before any revision of a
clinic content page goes live, from the admin or from code (scheduled publishing,
imports, translations). A hook refuses by raising ``PermissionDenied``; the medical
review registers one (``cms.review``).
"""

from wagtail import hooks

BEFORE_PUBLISH = "before_publish_content_page"


def run_before_publish(page, revision, user):
    for hook in hooks.get_hooks(BEFORE_PUBLISH):
        hook(page, revision, user)
