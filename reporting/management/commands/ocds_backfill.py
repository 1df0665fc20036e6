"""Give published calls without stored OCDS releases their history, compile the records of
releases that have none (releases stored before records were), then build the bulk files.

Run once after deploying the release history or the stored records (and safe to run again:
calls that have releases and ocids that have a record are left alone; ``--records`` compiles
every record again): ``python manage.py ocds_backfill``.
"""

from django.core.management.base import BaseCommand

from reporting.selectors.opendata import release_ocids
from reporting.services.opendata import (
    ocds_backfill,
    ocds_bulk_refresh,
    ocds_records_compile,
    ocds_records_missing,
)


class Command(BaseCommand):
    help = (
        "Store OCDS releases for published calls that have none; compile the records that are "
        "missing; rebuild the bulk files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-bulk", action="store_true", help="Do not rebuild the yearly bulk files."
        )
        parser.add_argument(
            "--records",
            action="store_true",
            help="Compile every record again, not only those missing.",
        )

    def handle(self, *args, no_bulk: bool = False, records: bool = False, **options):
        stored = ocds_backfill()
        self.stdout.write(f"{stored} releases stored")
        if records:
            compiled = ocds_records_compile(ocids=release_ocids())
        else:
            compiled = ocds_records_missing()
        self.stdout.write(f"{compiled} records compiled")
        if not no_bulk:
            years = ocds_bulk_refresh()
            self.stdout.write(f"bulk files rebuilt: {', '.join(map(str, years)) or 'none'}")
