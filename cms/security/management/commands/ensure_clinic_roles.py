"""Create or repair each clinic's editors, reviewers and translators groups.

Run it after adding a clinic's site or a translation of its home page: the groups'
rights hang on the clinic's home in each of its languages. Safe to run again.
"""

from django.core.management.base import BaseCommand

from cms.security.clinic_roles import ensure_clinic_roles


class Command(BaseCommand):
    help = "Create or repair each clinic's editors, reviewers and translators groups and their rights."

    def handle(self, *args, **options):
        made = ensure_clinic_roles()
        for slug, groups in sorted(made.items()):
            names = ", ".join(group.name for group in groups.values())
            self.stdout.write(f"{slug}: {names}")
        if not made:
            self.stdout.write("No clinic besides the library; nothing to do.")
