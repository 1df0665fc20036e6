"""The funding demo data: the EZK budgets of the cabinet period and of 2021, fully committed."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from funding.demo import CABINET_FUND, ONE_OFF_FUND
from funding.models import Account, CoFinancingApplication, Entry, Fund, FundingRound, Transaction
from funding.selectors import fund_balances
from proposals.models import Contract, Deliverable

pytestmark = pytest.mark.django_db


def _state():
    return (
        Fund.objects.count(),
        FundingRound.objects.count(),
        CoFinancingApplication.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
        list(Account.objects.order_by("pk").values_list("pk", "balance")),
    )


def test_demo_data_commits_both_ezk_budgets_and_is_idempotent():
    call_command("demo_data", "--force")

    balances = {b.fund.code: b for b in fund_balances(Fund.objects.all())}
    cabinet, one_off = balances[CABINET_FUND], balances[ONE_OFF_FUND]
    assert cabinet.appropriated == Decimal("10000000.00")
    assert one_off.appropriated == Decimal("1500000.00")
    # Committed in total: what is still committed plus what has been paid from it.
    assert cabinet.committed + cabinet.paid == Decimal("10000000.00")
    assert one_off.committed + one_off.paid == Decimal("1500000.00")
    assert cabinet.available == one_off.available == Decimal("0.00")
    assert cabinet.paid > 0
    assert one_off.paid > 0
    commitments = Transaction.objects.filter(kind=Transaction.Kind.COMMITMENT)
    assert commitments.filter(fund__code=CABINET_FUND).count() == 10
    assert commitments.filter(fund__code=ONE_OFF_FUND).count() == 3
    assert Entry.objects.filter(
        transaction__in=commitments, amount__gt=0, transaction__fund__code=CABINET_FUND
    ).aggregate(total=Sum("amount"))["total"] == Decimal("10000000.00")

    applications = CoFinancingApplication.objects.all()
    assert applications.filter(status=CoFinancingApplication.Status.APPROVED).count() == 13
    for application in applications:
        assert application.requested <= application.trajectory_cost / 2
        assert application.call.missions.exists()
    round_2021 = FundingRound.objects.get(fund__code=ONE_OFF_FUND)
    for application in applications.filter(round=round_2021):
        assert round_2021.opens_at <= application.submitted_at < round_2021.closes_at
        assert application.requested <= Decimal("500000.00")
    assert not (
        Transaction.objects.annotate(total=Sum("entries__amount"), n=Count("entries"))
        .filter(Q(total__isnull=True) | ~Q(total=0) | Q(n__lt=2))
        .exists()
    )
    assert all(
        t.created_at.year <= 2021 for t in Transaction.objects.filter(fund__code=CABINET_FUND)
    )

    before = _state()
    call_command("demo_data", "--force")
    assert _state() == before


def test_the_demo_funnels_contracts_are_committed_and_their_accepted_milestones_paid():
    call_command("demo_data", "--force")

    contracts = Contract.objects.filter(proposal__call__title="SBIR Circulaire Viaducten")
    assert contracts.count() == 13
    for contract in contracts.prefetch_related("deliverables"):
        milestones = list(contract.deliverables.all())
        assert sum(d.amount for d in milestones) == contract.amount
        assert Transaction.objects.filter(
            kind=Transaction.Kind.COMMITMENT, contract=contract, created_by__isnull=False
        ).exists()
        paid = Entry.objects.filter(
            transaction__kind=Transaction.Kind.PAYMENT,
            transaction__contract=contract,
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.AUTHORITY,
        ).aggregate(total=Sum("amount"))["total"]
        accepted = sum(d.amount for d in milestones if d.status == Deliverable.Status.ACCEPTED)
        assert paid == accepted
    report = Deliverable.objects.filter(
        contract__in=contracts, kind=Deliverable.Kind.FEASIBILITY_REPORT
    ).first()
    payment = Transaction.objects.get(
        kind=Transaction.Kind.PAYMENT, contract=report.contract, description__contains=report.name
    )
    assert payment.created_at == report.reviewed_at
    funds = fund_balances(Fund.objects.filter(kind=Fund.Kind.AUTHORITY))
    assert len(funds) == 2  # the call's two phases
    for figures in funds:
        assert figures.fund.phase.call.title == "SBIR Circulaire Viaducten"
        assert figures.appropriated == figures.fund.phase.budget
        assert figures.available + figures.committed + figures.paid == figures.appropriated
        assert figures.fund.period_end.year <= 2023
    # EZK's own payments for this call were made once, by the co-financing above.
    ezk_paid = Entry.objects.filter(
        transaction__call__title="SBIR Circulaire Viaducten",
        account__kind=Account.Kind.PAID,
        account__fund__kind=Fund.Kind.EZK,
    ).aggregate(total=Sum("amount"))["total"]
    assert (
        ezk_paid
        == CoFinancingApplication.objects.get(call__title="SBIR Circulaire Viaducten").requested
    )
