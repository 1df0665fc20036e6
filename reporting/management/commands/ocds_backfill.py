"""Give published calls without stored OCDS releases their history, then build the bulk files.

Run once after deploying the release history (and safe to run again: calls that have
releases are left alone): ``python manage.py ocds_backfill``.
"""

from django.core.management.base import BaseCommand

from reporting.services.opendata import ocds_backfill, ocds_bulk_refresh


class Command(BaseCommand):
    help = "Store OCDS releases for published calls that have none; rebuild the bulk files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-bulk", action="store_true", help="Do not rebuild the yearly bulk files."
        )

    def handle(self, *args, no_bulk: bool = False, **options):
        stored = ocds_backfill()
        self.stdout.write(f"{stored} releases stored")
        if not no_bulk:
            years = ocds_bulk_refresh()
            self.stdout.write(f"bulk files rebuilt: {', '.join(map(str, years)) or 'none'}")
