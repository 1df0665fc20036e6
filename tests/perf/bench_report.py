"""Benchmark: the progress report for parliament at 10, 100 and 1,000 trajectories; prints
figures.

Seeds co-financed calls in bulk (each with two phases, five responses, two feasibility awards,
an approved application and its commitment in the ledger), then times the whole report as the
worker makes it (figures, HTML, layout, PDF) beside WeasyPrint alone on the same HTML, so the
share of our own queries and templates is visible.

    DATABASE_URL=postgres://... .venv/bin/python tests/perf/bench_report.py [--sizes 10,100,1000]
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def seed(count: int, *, fund, staff, authority, companies, missions, offset: int) -> None:
    from calls.models import Call, Phase
    from funding.models import Account, CoFinancingApplication, Entry, FundingRound, Transaction
    from proposals.models import Proposal

    now = timezone.now()
    funding_round = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name=f"Ronde {offset}",
        opens_at=now - timedelta(days=30),
        closes_at=now,
    )
    calls = Call.objects.bulk_create(
        Call(
            authority=authority,
            instrument=Call.Instrument.SBIR,
            title=f"Traject {offset + number}: slimme oplossingen voor de openbare ruimte",
            challenge="Een maatschappelijke uitdaging in een paar zinnen. " * 8,
            contact_name="Inkoper",
            contact_email="inkoop@example.org",
            total_budget=Decimal("1000000.00"),
            publication_date=now - timedelta(days=200),
            deadline=now - timedelta(days=100),
            questions_deadline=now - timedelta(days=110),
            status=Call.Status.AWARDED,
            created_by=staff,
        )
        for number in range(count)
    )
    for number, call in enumerate(calls):
        call.missions.set([missions[number % len(missions)]])
    phases = Phase.objects.bulk_create(
        Phase(call=call, order=order, kind=kind, name=kind, budget=Decimal("400000.00"),
              max_per_award=Decimal("100000.00"), planned_awards=3, duration_months=6)
        for call in calls
        for order, kind in ((1, Phase.Kind.FEASIBILITY), (2, Phase.Kind.PROTOTYPE))
    )  # fmt: skip
    first_phases = [phase for phase in phases if phase.order == 1]
    Proposal.objects.bulk_create(
        Proposal(call=phase.call, phase=phase, company=companies[n], created_by=staff,
                 title="Voorstel", submitted_at=now,
                 status=Proposal.Status.AWARDED if n < 2 else Proposal.Status.REJECTED)
        for phase in first_phases
        for n in range(5)
    )  # fmt: skip
    applications = CoFinancingApplication.objects.bulk_create(
        CoFinancingApplication(round=funding_round, call=call, authority=authority,
                               trajectory_cost=Decimal("1000000.00"),
                               requested=Decimal("5000.00"), motivation="Bench",
                               status=CoFinancingApplication.Status.APPROVED,
                               submitted_by=staff, decided_by=staff, decided_at=now)
        for call in calls
    )  # fmt: skip
    available = Account.objects.get(fund=fund, kind=Account.Kind.AVAILABLE)
    accounts = Account.objects.bulk_create(
        Account(fund=fund, kind=Account.Kind.COMMITTED, call=application.call,
                application=application, balance=Decimal("5000.00"))
        for application in applications
    )  # fmt: skip
    records = Transaction.objects.bulk_create(
        Transaction(fund=fund, kind="commitment", description="bench", created_by=staff,
                    call=application.call, application=application)
        for application in applications
    )  # fmt: skip
    Entry.objects.bulk_create(
        entry
        for record, account in zip(records, accounts, strict=True)
        for entry in (
            Entry(transaction=record, account=available, amount=Decimal("-5000.00")),
            Entry(transaction=record, account=account, amount=Decimal("5000.00")),
        )
    )
    Account.objects.filter(pk=available.pk).update(
        balance=available.balance - Decimal("5000.00") * count
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    from calls.models import Mission
    from funding.models import Fund
    from funding.services.ledger import fund_open
    from portal.models import Membership, Organisation, Role, User
    from reporting.models import ParliamentReport
    from reporting.rendering.report import html_to_pdf, report_html

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        staff = User.objects.create_user("bench@example.org", "x", full_name="Bench")
        ezk = Organisation.objects.create(name="EZK", kind="ministry")
        authority = Organisation.objects.create(
            name="Rijkswaterstaat", kind="authority", authority_tier="central_government"
        )
        companies = [
            Organisation.objects.create(
                name=f"Bouwbedrijf {n}", kind="company", kvk_number=f"{12345670 + n:08d}"
            )
            for n in range(5)
        ]
        Membership.objects.create(user=staff, organisation=ezk, role=Role.MINISTRY_STAFF)
        missions = list(Mission.objects.all()) or [
            Mission.objects.create(code=f"m{n}", name_nl=f"Missie {n}", name_en=f"Mission {n}")
            for n in range(5)
        ]
        fund = fund_open(
            code="bench", name="Bench fund", kind=Fund.Kind.EZK, owner=ezk,
            period_start=date(2021, 1, 1), period_end=date(2030, 12, 31),
            amount=Decimal("100000000.00"), actor=staff,
        )  # fmt: skip
        print(f"database: {connection.vendor}")
        print(
            f"{'trajectories':>12} {'report s':>9} {'queries':>8} {'weasyprint s':>13} {'pages':>6}"
        )
        seeded = 0
        for size in sizes:
            seed(size - seeded, fund=fund, staff=staff, authority=authority, companies=companies,
                 missions=missions, offset=seeded)  # fmt: skip
            seeded = size
            report = ParliamentReport.objects.create(
                period_start=date(2021, 1, 1), period_end=timezone.localdate(), status="done"
            )
            # Best of two runs each: layout time varies with what else the machine is doing.
            wholes, alone = [], []
            for _run in range(2):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    html = report_html(report)
                    rendered = html_to_pdf(html)
                    wholes.append(time.perf_counter() - started)
                started = time.perf_counter()
                html_to_pdf(html)
                alone.append(time.perf_counter() - started)
            whole, weasyprint_only = min(wholes), min(alone)
            print(
                f"{size:12d} {whole:9.2f} {len(queries):8d} {weasyprint_only:13.2f} "
                f"{rendered.pages:6d}"
            )
            report.delete()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
