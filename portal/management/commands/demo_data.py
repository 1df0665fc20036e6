from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from portal.demo.identity import DEMO_PASSWORD, DEMO_TOTP_SECRET, PEOPLE


def demo_loaders():
    """Each app's `demo.load()`, in INSTALLED_APPS order, which is the order apps depend in."""
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is not None:
            module = import_module(module_name)
            if hasattr(module, "load"):
                yield config.label, module.load


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never on a production database).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development; pass --force to load it anyway.")
        for label, load in demo_loaders():
            # Names the services take from translations (phases, criteria) in Dutch.
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                summary = load()
            self.stdout.write(f"{label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"Authenticator key (TOTP) for roles that need it: {DEMO_TOTP_SECRET}")
        for email, _name, _organisation, role, is_staff in PEOPLE:
            label = "portal administrator" if is_staff or role is None else role.label
            self.stdout.write(f"  {email:40} {label}")
