"""Translator roles: one group per locale, e.g. "Translators (fr)".

A member translates into that locale and nothing else:

- edits the locale's library pages (Wagtail page permission ``change_page`` on the
  procedure library's home page in that locale, hence on its whole subtree) in
  wagtail-localize's translation editor, and may save drafts there; publishing stays
  with medical reviewers unless the groups are made with ``can_publish=True``. Clinics'
  sites have translators of their own (``cms.security.clinic_roles``);
- cannot edit or publish pages in any other locale, the source language included (no
  page permission there);
- edits Device translations in the locale only (``pages.change_device``, narrowed to
  the locale by ``cms.translation.locale_access``);
- cannot start translations (no ``wagtail_localize.submit_translation``: wagtail-localize
  does not limit that permission by locale, so it stays with editors).

Wagtail 8 has no locale-aware permissions of its own; page permissions on each locale's
tree are how a locale is handed to a group.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Locale

from pages.sites import clinic_areas, library_homes

GROUP_NAME = "Translators ({code})"

MODEL_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "pages.view_device",
    "pages.change_device",
)
PAGE_PERMISSIONS = ("change_page",)
PUBLISH_PERMISSIONS = ("publish_page",)


def translator_group_name(locale):
    """The name of a locale's translator group, e.g. "Translators (fr)"."""
    return GROUP_NAME.format(code=locale.language_code)


def _model_permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


@transaction.atomic
def ensure_translator_groups(locales=None, *, can_publish=False):
    """Create or update a translator group for every locale but the default one (or
    for ``locales``); safe to run any number of times. Returns ``{code: Group}``.

    Run it after the locales' home pages exist (translated), since a group's rights
    hang on its locale's home page; a locale without a home page gets a group without
    page rights, and a later run grants them. Page rights the group holds outside its
    locale, or in a clinic's site, are removed, so a group never reaches another
    locale's pages or a clinic's.
    """
    if locales is None:
        locales = Locale.objects.exclude(pk=Locale.get_default().pk).order_by("language_code")
    model_permissions = [_model_permission(dotted) for dotted in MODEL_PERMISSIONS]
    codenames = PAGE_PERMISSIONS + (PUBLISH_PERMISSIONS if can_publish else ())
    page_permissions = [_page_permission(codename) for codename in codenames]
    areas = clinic_areas()
    groups = {}
    for locale in locales:
        group, _created = Group.objects.get_or_create(name=translator_group_name(locale))
        group.permissions.add(*model_permissions)
        homes = library_homes(areas).filter(locale=locale)
        for home in homes:
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        GroupPagePermission.objects.filter(group=group).exclude(page__locale=locale).delete()
        for area in areas:
            for root in area.roots:
                GroupPagePermission.objects.filter(group=group, page__path__startswith=root).delete()
        groups[locale.language_code] = group
    return groups
