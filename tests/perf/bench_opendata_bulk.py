"""Benchmark: building the open data's yearly bulk file (JSON Lines, gzip) for 1,000 calls.

Seeds the calls as tests/perf/bench_opendata.py does (two phases each, two awards with a
contract, milestones and a payment in the first), gives them their release history with
``ocds_backfill`` (a publication per phase, the number of tenders at the deadline, each award
and each contract: seven releases a call), runs ANALYZE, and then times ``ocds_bulk_build``
for the year, printing seconds, peak Python memory (tracemalloc, in a second build: it slows
allocation down), the growth of the process's resident memory, the file's size and the
number of releases in it. Runs in a database of its own (``<database>_bench_bulk``, dropped
afterwards) and writes the file to a temporary folder.

    .venv/bin/python tests/perf/bench_opendata_bulk.py [--calls 1000] [--validate]
"""

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--validate", action="store_true", help="validate every line too")
    args = parser.parse_args()

    from django.core.files.storage import storages

    from reporting.models import OcdsBulkFile, OcdsRelease
    from reporting.services.opendata import ocds_backfill, ocds_bulk_build
    from tests.perf.bench_opendata import Seeder

    setup_test_environment()
    # A database of its own: never the test database a pytest run may be using.
    test = connection.settings_dict.setdefault("TEST", {})
    test["NAME"] = f"{connection.settings_dict['NAME']}_bench_bulk"
    if connection.vendor == "sqlite":
        test["NAME"] = str(ROOT / "var" / "bench-bulk.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    folder = tempfile.mkdtemp(prefix="ocds-bulk-")
    private = {"BACKEND": "django.core.files.storage.FileSystemStorage",
               "OPTIONS": {"location": folder}}  # fmt: skip
    try:
        with override_settings(STORAGES={**settings.STORAGES, "private": private}):
            print(f"database: {connection.vendor}")
            started = time.perf_counter()
            Seeder().up_to(args.calls)
            seeded = time.perf_counter() - started
            started = time.perf_counter()
            stored = ocds_backfill()
            history = time.perf_counter() - started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            years = [d.year for d in OcdsRelease.objects.dates("date", "year")]
            print(
                f"{args.calls} calls seeded in {seeded:.1f} s; {stored} releases stored by "
                f"the backfill in {history:.1f} s; years {years}"
            )
            print(f"{'year':>5} {'releases':>9} {'seconds':>8} {'peak MB':>8} "
                  f"{'RSS +MB':>8} {'file MB':>8} {'raw MB':>7}")  # fmt: skip
            for year in years:
                rss_before = _rss_mb()
                started = time.perf_counter()
                bulk = ocds_bulk_build(year=year)
                seconds = time.perf_counter() - started
                # Again under tracemalloc (which slows allocation down) for the peak.
                tracemalloc.start()
                bulk = ocds_bulk_build(year=year)
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                assert bulk is not None
                with storages["private"].open(bulk.path, "rb") as handle:
                    raw = gzip.decompress(handle.read())
                lines = raw.splitlines()
                assert len(lines) == bulk.releases
                print(
                    f"{year:5d} {bulk.releases:9d} {seconds:8.2f} {peak / 1e6:8.1f} "
                    f"{_rss_mb() - rss_before:8.1f} {bulk.size / 1e6:8.2f} {len(raw) / 1e6:7.2f}"
                )
                if args.validate:
                    from reporting.ocds.validation import validate_package

                    package = {
                        "uri": "https://example.org/bulk",
                        "version": "1.1",
                        "publishedDate": "2026-01-01T00:00:00Z",
                        "publisher": {"name": "bench"},
                        "releases": [json.loads(line) for line in lines],
                    }
                    print(f"      validation errors: {len(validate_package(package))}")
            assert OcdsBulkFile.objects.count() == len(years)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
