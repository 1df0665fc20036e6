from datetime import timedelta

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from portal.files import StoredFile, orphan_files, orphan_files_delete


class Command(BaseCommand):
    help = (
        "List stored files (public and private storage) that no row refers to; "
        "remove them with --delete. Without --delete nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="remove the orphans instead of only listing"
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help=(
                "only files last changed at least this long ago (default 60), so that an "
                "upload whose row is not committed yet is never taken for an orphan"
            ),
        )

    def handle(self, *args, delete: bool, older_than: int, **options):
        orphans = orphan_files(older_than=timedelta(minutes=older_than))
        for orphan in orphans:
            modified = timezone.localtime(orphan.modified)
            self.stdout.write(
                f"{orphan.storage}\t{orphan.name}\t{orphan.size}\t{modified:%Y-%m-%d %H:%M}"
            )
        if not delete:
            self.stdout.write(
                f"{len(orphans)} orphan file(s), {_total(orphans)}. Dry run: nothing removed; "
                "pass --delete to remove them."
            )
            return
        deleted = orphan_files_delete(orphans=orphans)
        self.stdout.write(f"{len(deleted)} orphan file(s) removed, {_total(deleted)}.")


def _total(files: list[StoredFile]) -> str:
    return filesizeformat(sum(stored.size for stored in files))
