"""Which locales a user may change translatable snippets (Devices) in.

Wagtail's snippet permissions are per model: ``pages.change_device`` lets a user edit
every device in every locale, and wagtail-localize's translation editor checks no more
than that for snippets. Pages, though, are permitted per locale, since each locale has
its own page tree. So locale rights follow page rights: a user who may edit pages in
some locales may change snippets in those locales only. A user with no page rights at
all (a role about devices alone) is not limited by locale, and superusers never are.

The admin hooks in ``cms.translation.wagtail_hooks`` apply this to the snippet edit and
delete views and to wagtail-localize's translation editor endpoints.

Paths that write pages in bulk (translator packages, their commands, starting and
syncing translations) use the stricter ``translatable_locales``.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Locale

ALL_LOCALES = "all"


def editable_page_locale_ids(user):
    """Ids of the locales in which ``user``'s groups may edit pages, or ``ALL_LOCALES``
    for rights on Wagtail's root page (above every locale's tree). Cached on the user."""
    cached = getattr(user, "_cms_editable_page_locale_ids", None)
    if cached is None:
        grants = list(
            GroupPagePermission.objects.filter(
                group__user=user, permission__codename__in=("change_page", "add_page")
            ).values_list("page__locale_id", "page__depth")
        )
        cached = {locale_id for locale_id, _depth in grants}
        if any(depth == 1 for _locale_id, depth in grants):
            cached = ALL_LOCALES
        user._cms_editable_page_locale_ids = cached
    return cached


def user_can_change_in_locale(user, locale):
    """True when ``user`` may change a translatable snippet in ``locale`` (Locale or id),
    model permissions aside."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    locale_ids = editable_page_locale_ids(user)
    if not locale_ids or locale_ids == ALL_LOCALES:
        return True
    return (locale.pk if isinstance(locale, Locale) else locale) in locale_ids


def translatable_locales(user):
    """The locales ``user`` may write translations into from translator packages, the
    package commands and wagtail-localize's "Translate" and "Sync" actions: every locale
    for superusers and holders of rights on the root page, otherwise the locales whose
    page tree the user's groups may change. Unlike snippets, a user without page rights
    gets none: these paths write pages."""
    if not user.is_active:
        return Locale.objects.none()
    locale_ids = editable_page_locale_ids(user)
    if user.is_superuser or locale_ids == ALL_LOCALES:
        return Locale.objects.all()
    return Locale.objects.filter(pk__in=locale_ids)


def refuse_untranslatable(user, locales):
    """Raise PermissionDenied naming the first of ``locales`` that ``user`` may not
    translate into, with the locales they may (in the active language)."""
    allowed = {locale.pk: locale for locale in translatable_locales(user)}
    for locale in locales:
        if locale.pk not in allowed:
            names = ", ".join(sorted(item.language_code for item in allowed.values())) or _("none")
            raise PermissionDenied(
                _("You may not translate into %(locale)s (%(code)s); your locales: %(allowed)s.")
                % {"locale": locale.get_display_name(), "code": locale.language_code, "allowed": names}
            )
