"""Keeps Wagtail's Locale rows in step with the CMS_LOCALES setting."""

from django.conf import settings


def sync_locales(**kwargs):
    """Create a Locale for every configured language (run after migrate)."""
    from wagtail.models import Locale

    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
