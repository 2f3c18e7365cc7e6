"""Create an API key from the command line and print it (the only time it is shown).

manage.py create_api_key --name "Clinic app preview" --scope preview --scope export
manage.py create_api_key --name "Clinic website" --scope delivery --rate 12000/minute
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.api.models import ApiKey, Scope
from cms.api.throttling import parse_rate


class Command(BaseCommand):
    help = "Create an API key with the given scopes and print the key once. Only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who uses the key, e.g. 'Clinic app preview'.")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            dest="scopes",
            help=f"A scope to grant; repeat for several. One of: {', '.join(Scope.values)}.",
        )
        parser.add_argument(
            "--rate", default="", help="The key's own rate limit, e.g. 6000/minute. Default: the setting for its kind."
        )

    def handle(self, *args, name, scopes, rate, **options):
        name = name.strip()
        if not name:
            raise CommandError("--name must not be blank.")
        if not scopes:
            raise CommandError(f"Give at least one --scope ({', '.join(Scope.values)}).")
        unknown = sorted({scope for scope in scopes if scope not in Scope.values})
        if unknown:
            raise CommandError(f"Unknown scope(s): {', '.join(unknown)}. Allowed: {', '.join(Scope.values)}.")
        if Scope.DELIVERY in scopes and len(set(scopes)) > 1:
            raise CommandError("A delivery key reads live content only: give it no other --scope.")
        try:
            parse_rate(rate)
        except ValueError as error:
            raise CommandError(f"--rate: {error}") from None
        with transaction.atomic():
            api_key, raw_key = ApiKey.objects.create_key(name=name, scopes=sorted(set(scopes)), rate=rate.strip())
        self.stderr.write(
            f"Created API key '{api_key.name}' ({api_key.prefix}…) with scopes: {', '.join(api_key.scopes)}"
        )
        self.stderr.write("Store it now: it cannot be shown again.")
        self.stdout.write(raw_key)
