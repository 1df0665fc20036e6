"""Benchmark: the progress report for parliament at 10, 100 and 1,000 trajectories; prints
figures.

Seeds co-financed calls in bulk (each with two phases, five responses, two feasibility awards,
an approved application and its commitment in the ledger).

Runs in a database of its own (``<DATABASE_URL's name>_bench_report_<pid>``, dropped at the
end) and runs ANALYZE after seeding. Times the two steps the worker takes separately: the HTML
(our queries and templates) and the PDF (WeasyPrint on that HTML), alternating their order
between runs (HTML first, then PDF first, ...) so neither always profits from the other's warm
caches; prints the median of the runs, the peak memory each step allocated (tracemalloc) and
the process's peak resident size.

    DATABASE_URL=postgres://... .venv/bin/python tests/perf/bench_report.py [--sizes 10,100,1000]
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

if __name__ == "__main__":
    from benchdb import use_own_database

    use_own_database("report")

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
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    import logging

    from benchdb import analyze, own_database

    from calls.models import Mission
    from funding.models import Fund
    from funding.services.ledger import fund_open
    from portal.models import Membership, Organisation, Role, User
    from reporting.models import ParliamentReport
    from reporting.rendering.report import html_to_pdf, report_html

    logging.disable(logging.WARNING)
    setup_test_environment()
    with own_database():
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
        print(f"database: {connection.settings_dict['NAME']} ({connection.vendor})")
        print(f"{'trajectories':>12} {'html s':>7} {'queries':>8} {'html MB':>8} "
              f"{'pdf s':>7} {'pdf MB':>7} {'pages':>6} {'peak RSS MB':>12}")  # fmt: skip
        seeded = 0
        for size in sizes:
            seed(size - seeded, fund=fund, staff=staff, authority=authority, companies=companies,
                 missions=missions, offset=seeded)  # fmt: skip
            seeded = size
            analyze()
            report = ParliamentReport.objects.create(
                period_start=date(2021, 1, 1), period_end=timezone.localdate(), status="done"
            )
            html_times, pdf_times, html_peaks, pdf_peaks = [], [], [], []
            html = report_html(report)
            for run in range(args.runs):
                # Even runs make the HTML first, odd runs the PDF first.
                for step in ("html", "pdf") if run % 2 == 0 else ("pdf", "html"):
                    if step == "html":
                        with CaptureQueriesContext(connection) as queries:
                            seconds, html = _timed(report_html, report)
                        query_count = len(queries)
                        html_times.append(seconds)
                    else:
                        seconds, rendered = _timed(html_to_pdf, html)
                        pdf_times.append(seconds)
            # Memory in runs of their own: tracing allocations slows the code it watches.
            html_peaks.append(_peak(report_html, report))
            pdf_peaks.append(_peak(html_to_pdf, html))
            print(
                f"{size:12d} {statistics.median(html_times):7.2f} {query_count:8d} "
                f"{max(html_peaks) / 2**20:8.1f} {statistics.median(pdf_times):7.2f} "
                f"{max(pdf_peaks) / 2**20:7.1f} {rendered.pages:6d} {_peak_rss_mb():12.0f}"
            )
            report.delete()


def _timed(step, argument):
    """Seconds the step took, and what it made."""
    started = time.perf_counter()
    made = step(argument)
    return time.perf_counter() - started, made


def _peak(step, argument) -> int:
    """The most memory (bytes) the step had allocated at any moment."""
    tracemalloc.start()
    step(argument)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


if __name__ == "__main__":
    main()
