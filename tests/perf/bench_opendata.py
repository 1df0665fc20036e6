"""Benchmark: OCDS open data for 10, 100 and 1000 calls; prints figures only.

Each seeded call is published with two phases, two awards in the first phase, a contract per
award with two milestones and one payment. For each size the script stores the new calls'
release history and compiles their records (``ocds_backfill``: what the task does per change,
for every change at once), builds the snapshot of every call (selectors and builder, what a
release is made from), downloads the first page of /open-data/releases.json (each ocid's
newest stored release) and of /open-data/history/records.json, and validates both against
the OCDS schema, printing times, SQL queries and sizes. Same database set-up as the tests
(PostgreSQL with DATABASE_URL, else SQLite), in a throw-away test database.

    .venv/bin/python tests/perf/bench_opendata.py [--sizes 10,100,1000] [--no-validate]
"""

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


class Seeder:
    def __init__(self) -> None:
        from funding.models import Account, Fund
        from portal.models import Organisation, User

        self.officer = User.objects.create_user("bench@example.org", "x", full_name="Bench")
        self.authority = Organisation.objects.create(
            name="Bench authority", kind="authority", authority_tier="municipality"
        )
        self.fund = Fund.objects.create(
            code="bench",
            name="Bench",
            kind=Fund.Kind.AUTHORITY,
            owner=self.authority,
            period_start=date(2020, 1, 1),
            period_end=date(2035, 12, 31),
        )
        self.paid = Account.objects.create(fund=self.fund, kind=Account.Kind.PAID)
        self.committed = Account.objects.create(fund=self.fund, kind=Account.Kind.COMMITTED)
        self.seeded = 0

    def up_to(self, total: int) -> None:
        """Seed calls until there are `total` (rows straight in: the services are not timed)."""
        from calls.models import Call, Phase
        from funding.models import Entry, Transaction
        from portal.models import Organisation
        from proposals.models import Contract, Deliverable, Proposal

        count = total - self.seeded
        if count <= 0:
            return
        now = timezone.now()
        calls = Call.objects.bulk_create(
            Call(
                authority=self.authority,
                instrument=Call.Instrument.SBIR,
                title=f"Bench call {self.seeded + i}",
                challenge="Een uitdaging over duurzame infrastructuur.",
                contact_name="Bench",
                contact_email="bench@example.org",
                total_budget=Decimal("1000000.00"),
                deadline=now - timedelta(days=30),
                questions_deadline=now - timedelta(days=40),
                publication_date=now - timedelta(days=90),
                status=Call.Status.AWARDED,
                created_by=self.officer,
            )
            for i in range(count)
        )
        phases = Phase.objects.bulk_create(
            Phase(
                call=call,
                order=order,
                kind=kind,
                name=name,
                budget=Decimal("500000.00"),
                max_per_award=Decimal("100000.00"),
                planned_awards=2,
                duration_months=6,
            )
            for call in calls
            for order, kind, name in ((1, "feasibility", "Fase 1"), (2, "prototype", "Fase 2"))
        )
        first_phases = [phase for phase in phases if phase.order == 1]
        companies = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench {self.seeded * 2 + i} B.V.",
                kind="company",
                kvk_number=f"{70000000 + self.seeded * 2 + i}",
            )
            for i in range(count * 2)
        )
        proposals = Proposal.objects.bulk_create(
            Proposal(
                call_id=phase.call_id,
                phase=phase,
                company=companies[n * 2 + k],
                created_by=self.officer,
                title=f"Plan {n}-{k}",
                status=Proposal.Status.AWARDED,
                submission_number=f"BENCH-{self.seeded + n:05d}-{k}",
                submitted_at=now - timedelta(days=35),
                decided_at=now - timedelta(days=20),
                requested_amount=Decimal("50000.00"),
            )
            for n, phase in enumerate(first_phases)
            for k in range(2)
        )
        contracts = Contract.objects.bulk_create(
            Contract(
                proposal=proposal,
                amount=Decimal("50000.00"),
                start_date=date(2026, 1, 1),
                end_date=date(2026, 6, 30),
            )
            for proposal in proposals
        )
        Deliverable.objects.bulk_create(
            Deliverable(
                contract=contract,
                kind=kind,
                name=kind,
                due_date=due,
                amount=Decimal("25000.00"),
                status=status,
            )
            for contract in contracts
            for kind, due, status in (
                ("progress_report", date(2026, 3, 31), "accepted"),
                ("feasibility_report", date(2026, 6, 30), "pending"),
            )
        )
        payments = Transaction.objects.bulk_create(
            Transaction(
                fund=self.fund,
                kind=Transaction.Kind.PAYMENT,
                description="Mijlpaal",
                created_by=self.officer,
                contract=contract,
            )
            for contract in contracts
        )
        Entry.objects.bulk_create(
            Entry(transaction=payment, account=account, amount=amount)
            for payment in payments
            for account, amount in (
                (self.committed, Decimal("-25000.00")),
                (self.paid, Decimal("25000.00")),
            )
        )
        self.seeded = total


def _get(client, url: str) -> tuple[float, int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, url
    return elapsed, len(queries), body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    from django.test import Client

    from calls.models import Call
    from reporting.models import OcdsRelease
    from reporting.ocds.builder import package_for
    from reporting.ocds.validation import validate_package, validate_record_package
    from reporting.selectors.opendata import open_data_calls
    from reporting.services.opendata import ocds_backfill

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        seeder = Seeder()
        print(f"database: {connection.vendor}")
        print(
            f"{'calls':>6} {'releases':>8} {'store ms':>9} {'build ms':>9} {'queries':>8} "
            f"{'page ms':>8} {'q':>3} {'MB':>5} {'records ms':>11} {'q':>3} {'MB':>5} "
            f"{'errors':>7}"
        )
        client = Client()
        for size in sizes:
            seeder.up_to(size)
            started = time.perf_counter()
            ocds_backfill(calls=Call.objects.all())  # the calls without a history yet
            stored = (time.perf_counter() - started) * 1000
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                package_for(open_data_calls(), uri="/open-data/releases.json")
                built = (time.perf_counter() - started) * 1000
            query_count = len(queries)  # read now: the next request resets the query log
            page_ms, page_q, page = _get(client, "/open-data/releases.json")
            records_ms, records_q, records = _get(client, "/open-data/history/records.json")
            errors = "-"
            if not args.no_validate:
                errors = str(
                    len(validate_package(json.loads(page)))
                    + len(validate_record_package(json.loads(records)))
                )
            print(
                f"{size:6d} {OcdsRelease.objects.count():8d} {stored:9.0f} {built:9.0f} "
                f"{query_count:8d} {page_ms:8.0f} {page_q:3d} {len(page) / 1e6:5.2f} "
                f"{records_ms:11.0f} {records_q:3d} {len(records) / 1e6:5.2f} {errors:>7}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
