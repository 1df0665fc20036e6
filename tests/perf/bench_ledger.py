"""Benchmark: balances, the ministry dashboard and posting with many ledger transactions.

Seeds the history in bulk (transactions with balanced entries, balances set from their sums
once), then times `fund_balances` (the balances' read), the whole dashboard page (as ministry
staff, through the test client) and `transaction_post` (a write) at 1,000 and at 100,000
transactions. Balances are maintained per account, so neither read should grow with the
number of transactions.

    DATABASE_URL=postgres://... .venv/bin/python tests/perf/bench_ledger.py [--max 100000]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.conftest import login_verified  # noqa: E402


def seed_history(fund, actor, count: int, calls) -> None:
    """Payments spread over the co-financed calls, so that the dashboard's per-call figures
    have every one of them to count; the maintained totals are rebuilt once afterwards."""
    from funding.models import Account, Entry, Transaction
    from funding.services.ledger import call_use_rebuild

    available = Account.objects.get(fund=fund, kind=Account.Kind.AVAILABLE)
    paid = Account.objects.get(fund=fund, kind=Account.Kind.PAID)
    batch = 5000
    for start in range(0, count, batch):
        records = Transaction.objects.bulk_create(
            Transaction(
                fund=fund,
                kind="payment",
                description="history",
                created_by=actor,
                call=calls[number % len(calls)],
            )
            for number in range(start, min(start + batch, count))
        )
        Entry.objects.bulk_create(
            entry
            for record in records
            for entry in (
                Entry(transaction=record, account=available, amount=Decimal("-1.00")),
                Entry(transaction=record, account=paid, amount=Decimal("1.00")),
            )
        )
    for account in (available, paid):
        total = account.entries.aggregate(total=Sum("amount"))["total"]
        Account.objects.filter(pk=account.pk).update(balance=total)
    call_use_rebuild()


def trajectories(fund, staff, count: int) -> list:
    """Co-financed calls with a small funnel each, as the demo has (13 of them)."""
    from tests.funding.factories import co_financed

    return [
        co_financed(fund, staff, title=f"Traject {n}", requested="100000.00", funnel=(3, 2, 1))
        for n in range(count)
    ]


def timed(action, repeat: int) -> tuple[float, int]:
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)


def contract_figures() -> None:
    """A call's money page reads (20 and 200 contracts), and the ledger's work per award
    (contract rows plus its commitment) and per accepted milestone (its payment)."""
    from calls.models import Phase
    from funding.selectors.calls import call_contracts_money, call_phase_money
    from funding.services.contracts import milestone_pay
    from proposals.models import Deliverable
    from tests.calls.factories import published_call
    from tests.funding.test_call_money import contracts

    call = published_call()
    officer = call.officer
    Phase.objects.filter(call=call, order=1).update(budget=Decimal("100000000.00"))
    print()
    heading = ("contracts", "money page ms", "queries", "award+commit ms", "pay ms")
    print("{:>12} {:>14} {:>8} {:>16} {:>7}".format(*heading))
    made = 0
    for target in (20, 200):
        contracts(call, target - made, start=made)
        made = target

        def read():
            list(call_phase_money(call))
            list(call_contracts_money(call)[:50])

        read_ms, read_q = timed(read, 10)
        started = time.perf_counter()
        fresh = contracts(call, 10, start=made)  # rows in bulk, then one commitment each
        made += 10
        award_ms = (time.perf_counter() - started) * 1000 / 10
        milestones = Deliverable.objects.filter(contract__in=fresh)[:10]
        started = time.perf_counter()
        for deliverable in milestones:
            milestone_pay(deliverable=deliverable, actor=officer)
        pay_ms = (time.perf_counter() - started) * 1000 / 10
        print(f"{target:12d} {read_ms:14.2f} {read_q:8d} {award_ms:16.2f} {pay_ms:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=100_000)
    args = parser.parse_args()

    from funding.models import Account, Fund, Transaction
    from funding.selectors.budget import fund_balances
    from funding.services.ledger import fund_account, fund_open, transaction_post
    from portal.models import Membership, Organisation, Role, User

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        staff = User.objects.create_user("bench@example.org", "x", full_name="Bench")
        ezk = Organisation.objects.create(name="EZK", kind="ministry")
        Membership.objects.create(user=staff, organisation=ezk, role=Role.MINISTRY_STAFF)
        fund = fund_open(
            code="bench", name="Bench fund", kind=Fund.Kind.EZK, owner=ezk,
            period_start=date(2021, 1, 1), period_end=date(2025, 12, 31),
            amount=Decimal("100000000.00"), actor=staff,
        )  # fmt: skip
        fund_account(fund, Account.Kind.PAID)
        committed = Account.objects.create(fund=fund, kind=Account.Kind.COMMITTED)
        available = fund_account(fund, Account.Kind.AVAILABLE)

        def post():
            transaction_post(
                fund=fund, kind="commitment", actor=staff, description="bench",
                entries=[(available, Decimal("-1.00")), (committed, Decimal("1.00"))],
            )  # fmt: skip

        calls = trajectories(fund, staff, 13)
        client = login_verified(Client(), staff)

        def dashboard():
            response = client.get(reverse("funding:dashboard"))
            assert response.status_code == 200, response.status_code

        print(f"database: {connection.vendor}")
        heading = ("transactions", "balances ms", "queries", "dashboard ms", "queries", "post ms")
        print("{:>12} {:>12} {:>8} {:>13} {:>8} {:>8}".format(*heading))
        seeded = 0
        for target in sorted({1_000, args.max}):
            seed_history(fund, staff, target - seeded, calls)
            seeded = target
            read_ms, read_q = timed(lambda: fund_balances([fund]), 20)
            page_ms, page_q = timed(dashboard, 10)
            post_ms, _post_q = timed(post, 20)
            total = Transaction.objects.count()
            print(
                f"{total:12d} {read_ms:12.2f} {read_q:8d} {page_ms:13.2f} {page_q:8d} "
                f"{post_ms:8.2f}"
            )
        (balance,) = fund_balances([fund])
        assert balance.available + balance.committed + balance.paid == balance.appropriated
        contract_figures()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
