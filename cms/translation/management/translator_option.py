"""``--user`` of the package commands: who the work is recorded as, held to their locales.

Without ``--user`` a command runs as the operator, with no locale limit (whoever runs
``manage.py`` already holds the database). With it, the import records that user as
the translator and author of the revisions, and both commands refuse a user who may not
use the packages screen, and a locale the user may not translate into, as that screen does.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from cms.translation.locale_access import refuse_untranslatable
from cms.translation.packages.admin_views import can_use_translation_packages


def add_user_argument(parser):
    parser.add_argument(
        "--user", help="Username to record the work as; refuses locales that user may not translate into."
    )


def translator(username, locales):
    """The active user named ``username`` (None for None), after checking ``locales``."""
    if username is None:
        return None
    try:
        user = get_user_model()._default_manager.get_by_natural_key(username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"No user named {username!r}.") from exc
    if not can_use_translation_packages(user):
        raise CommandError(f"{username} may not use translation packages (not a translator). Nothing was changed.")
    try:
        refuse_untranslatable(user, locales)
    except PermissionDenied as exc:
        raise CommandError(f"{username}: {exc} Nothing was changed.") from exc
    return user
