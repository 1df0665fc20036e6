from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PEOPLE, load_demo_identity


class Command(BaseCommand):
    help = "Load the demo organisations and people (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development; pass --force to load it anyway.")
        load_demo_identity()
        # Later apps extend the demo with calls, proposals and money.
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"Authenticator key (TOTP) for roles that need it: {DEMO_TOTP_SECRET}")
        for email, _name, _organisation, role, is_staff in PEOPLE:
            label = "portal administrator" if is_staff else role.label
            self.stdout.write(f"  {email:40} {label}")
