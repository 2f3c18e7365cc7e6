"""Load the microneedling demo: pages, devices, translations and demo accounts.

Safe to run again: a second run finds everything the first made and changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pages.demo.accounts import demo_password, ensure_demo_users
from pages.demo.loader import MissingDemoTranslation, load_demo


class Command(BaseCommand):
    help = "Load the microneedling demo content in every locale, and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="Do not create the demo accounts.")

    def handle(self, *args, no_accounts=False, **options):
        try:
            with transaction.atomic():
                summary = load_demo()
                accounts = [] if no_accounts else ensure_demo_users()
        except MissingDemoTranslation as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(summary)))
        if accounts:
            self.stdout.write(f"Demo logins (password: {demo_password()}):")
            for username, role in accounts:
                self.stdout.write(f"  {username:<17} {role}")
