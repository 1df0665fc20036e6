"""The ledger through its services: balance, reversal, invariants, concurrency."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from funding.models import Account, CoFinancingApplication, Entry, Fund, FundingRound, Transaction
from funding.selectors.budget import fund_balances
from funding.services.cofinancing import (
    cofinancing_apply,
    cofinancing_approve,
    cofinancing_reject,
    commitment_pay,
    commitment_release,
)
from funding.services.ledger import fund_account, transaction_post, transaction_reverse
from portal.exceptions import DomainError, NotAllowed
from portal.models import Role
from tests.calls.factories import draft_call
from tests.concurrency import require_postgresql, run_at_once
from tests.factories import MinistryFactory, person_with_role
from tests.funding.factories import ezk_fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry_staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


def open_fund(staff, amount="1500000.00", code="ezk-2021") -> Fund:
    return ezk_fund(staff, code=code, amount=amount)


def open_round(fund, **limits) -> FundingRound:
    now = timezone.now()
    return FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name="Ronde 2021",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        **limits,
    )


def apply(funding_round, call=None, requested="400000.00", cost="1000000.00"):
    call = call or draft_call()
    return cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost=cost,
        requested=requested,
        motivation="Past bij de missie energietransitie.",
    )


def test_every_transaction_balances_and_balances_follow_the_entries(ministry_staff):
    fund = open_fund(ministry_staff)
    application = apply(open_round(fund))
    cofinancing_approve(application=application, actor=ministry_staff)
    committed = Account.objects.get(application=application)
    commitment_pay(
        account=committed, amount="150000", actor=ministry_staff, description="Mijlpaal 1"
    )

    for record in Transaction.objects.all():
        assert record.entries.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    for account in Account.objects.all():
        assert account.entries.aggregate(total=Sum("amount"))["total"] == account.balance
    (balance,) = fund_balances([fund])
    assert balance.appropriated == Decimal("1500000.00")
    assert balance.committed == Decimal("250000.00")
    assert balance.paid == Decimal("150000.00")
    assert balance.available == Decimal("1100000.00")
    assert balance.available + balance.committed + balance.paid == balance.appropriated


def test_unbalanced_or_cross_fund_transactions_are_refused(ministry_staff):
    fund = open_fund(ministry_staff)
    other = open_fund(ministry_staff, code="ezk-cabinet")
    available = fund_account(fund, Account.Kind.AVAILABLE)
    paid = fund_account(fund, Account.Kind.PAID)
    with pytest.raises(DomainError) as unbalanced:
        transaction_post(
            fund=fund, kind="payment", actor=ministry_staff, description="x",
            entries=[(available, Decimal("-10")), (paid, Decimal("9"))],
        )  # fmt: skip
    assert unbalanced.value.code == "unbalanced"
    with pytest.raises(DomainError) as wrong_fund:
        transaction_post(
            fund=fund, kind="payment", actor=ministry_staff, description="x",
            entries=[(available, Decimal("-10")), (fund_account(other, "paid"), Decimal("10"))],
        )  # fmt: skip
    assert wrong_fund.value.code == "wrong_fund"
    with pytest.raises(DomainError):
        transaction_post(
            fund=fund, kind="payment", actor=ministry_staff, description="  ",
            entries=[(available, Decimal("-10")), (paid, Decimal("10"))],
        )  # fmt: skip


def test_the_database_refuses_a_negative_available_balance_whatever_code_writes(ministry_staff):
    fund = open_fund(ministry_staff, amount="100.00")
    available = fund_account(fund, Account.Kind.AVAILABLE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=available.pk).update(balance=Decimal("-0.01"))


def test_reversal_negates_every_entry_once(ministry_staff):
    fund = open_fund(ministry_staff)
    application = apply(open_round(fund))
    commitment = cofinancing_approve(application=application, actor=ministry_staff)

    reversal = transaction_reverse(
        original=commitment, actor=ministry_staff, reason="Dubbel geboekt"
    )

    assert reversal.reverses == commitment
    assert sorted(e.amount for e in reversal.entries.all()) == sorted(
        -e.amount for e in commitment.entries.all()
    )
    (balance,) = fund_balances([fund])
    assert balance.available == Decimal("1500000.00")
    assert balance.committed == Decimal("0.00")
    with pytest.raises(DomainError):
        transaction_reverse(original=commitment, actor=ministry_staff, reason="nog eens")
    assert Entry.objects.count() == 6  # appropriation 2 + commitment 2 + reversal 2: nothing edited


@pytest.mark.parametrize(
    ("requested", "cost", "code"),
    [
        ("-1", "1000000", "amount"),
        ("0", "1000000", "amount"),
        ("abc", "1000000", "amount"),
        ("500000.01", "1000000", "limit"),  # more than 50% of the cost
        ("500001", "2000000", "limit"),  # more than € 500.000 per trajectory
    ],
)
def test_applications_beyond_the_limits_are_refused(ministry_staff, requested, cost, code):
    fund = open_fund(ministry_staff)
    with pytest.raises(DomainError) as refused:
        apply(open_round(fund), requested=requested, cost=cost)
    assert refused.value.code == code
    assert not CoFinancingApplication.objects.exists()


def test_applications_only_within_the_window(ministry_staff):
    fund = open_fund(ministry_staff)
    now = timezone.now()
    closed = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund, name="Ronde mei", opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=15),
    )  # fmt: skip
    with pytest.raises(DomainError) as refused:
        apply(closed)
    assert refused.value.code == "window"


def test_commitment_beyond_the_fund_is_refused(ministry_staff):
    fund = open_fund(ministry_staff, amount="600000.00")
    funding_round = open_round(fund)
    first = apply(funding_round, requested="400000")
    second = apply(funding_round, requested="300000")
    cofinancing_approve(application=first, actor=ministry_staff)
    with pytest.raises(DomainError) as refused:
        cofinancing_approve(application=second, actor=ministry_staff)
    assert refused.value.code == "insufficient"
    second.refresh_from_db()
    assert second.status == CoFinancingApplication.Status.SUBMITTED


def test_first_come_first_served(ministry_staff):
    fund = open_fund(ministry_staff)
    funding_round = open_round(fund)
    first = apply(funding_round)
    second = apply(funding_round)
    with pytest.raises(DomainError) as refused:
        cofinancing_approve(application=second, actor=ministry_staff)
    assert refused.value.code == "order"
    cofinancing_reject(
        application=first, actor=ministry_staff, motivation="Past niet bij de missies"
    )
    cofinancing_approve(application=second, actor=ministry_staff)


def test_payments_never_exceed_the_commitment_and_releases_return_the_rest(ministry_staff):
    fund = open_fund(ministry_staff)
    application = apply(open_round(fund), requested="100000")
    cofinancing_approve(application=application, actor=ministry_staff)
    committed = Account.objects.get(application=application)
    commitment_pay(account=committed, amount="60000", actor=ministry_staff, description="Fase 1")
    with pytest.raises(DomainError) as refused:
        commitment_pay(account=committed, amount="40000.01", actor=ministry_staff, description="x")
    assert refused.value.code == "insufficient"

    commitment_release(account=committed, actor=ministry_staff, description="Traject gestopt")

    (balance,) = fund_balances([fund])
    assert balance.committed == Decimal("0.00")
    assert balance.paid == Decimal("60000.00")
    assert balance.available == Decimal("1440000.00")


def test_only_ministry_staff_decide_and_only_the_authority_applies(ministry_staff):
    fund = open_fund(ministry_staff)
    funding_round = open_round(fund)
    call = draft_call()
    outsider = person_with_role(Role.PROCUREMENT_OFFICER)
    with pytest.raises(NotAllowed):
        cofinancing_apply(
            funding_round=funding_round, call=call, actor=outsider, trajectory_cost="1000",
            requested="100", motivation="x",
        )  # fmt: skip
    application = apply(funding_round, call=call)
    for actor in (call.officer, outsider, person_with_role(Role.APPLICANT)):
        with pytest.raises(NotAllowed):
            cofinancing_approve(application=application, actor=actor)


@pytest.mark.django_db(transaction=True)
def test_two_commitments_of_the_last_euros_at_once_cannot_both_succeed():
    require_postgresql()
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))
    fund = open_fund(staff, amount="500000.00")
    committed = [Account.objects.create(fund=fund, kind=Account.Kind.COMMITTED) for _ in range(4)]
    available = fund_account(fund, Account.Kind.AVAILABLE)
    targets = iter(committed)

    def commit_300k():
        target = next(targets)
        return transaction_post(
            fund=fund, kind="commitment", actor=staff, description="Race",
            entries=[(available, Decimal("-300000")), (target, Decimal("300000"))],
        )  # fmt: skip

    results = run_at_once(commit_300k, 4)

    assert sum(1 for r in results if isinstance(r, Transaction)) == 1
    assert all(isinstance(r, (Transaction, DomainError)) for r in results), results
    (balance,) = fund_balances([fund])
    assert balance.available == Decimal("200000.00")
    assert balance.committed == Decimal("300000.00")


# --- Authority targets through the service ----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"year": 1999}, "year"),
        ({"year": 2101}, "year"),
        ({"target": Decimal("-1")}, "target"),
        ({"procurement_budget": Decimal("0")}, "procurement_budget"),
        ({"measure": "share", "target": Decimal("2")}, "procurement_budget"),
        (
            {"measure": "share", "target": Decimal("100.01"), "procurement_budget": Decimal("9")},
            "target",
        ),
    ],
)
def test_target_add_refuses_what_cannot_be_a_target(ministry_staff, overrides, code):
    from funding.models import AuthorityTarget
    from funding.services.targets import target_add
    from tests.factories import AuthorityFactory

    data = {
        "authority": AuthorityFactory(),
        "year": 2026,
        "measure": "amount",
        "target": Decimal("1000"),
        "procurement_budget": None,
    }
    with pytest.raises(DomainError) as refused:
        target_add(actor=ministry_staff, data={**data, **overrides})
    assert refused.value.code == code
    assert not AuthorityTarget.objects.exists()


def test_target_add_is_for_ministry_staff_and_once_per_measure_and_year(ministry_staff):
    from funding.services.targets import target_add
    from tests.factories import AuthorityFactory

    authority = AuthorityFactory()
    data = {
        "authority": authority,
        "year": 2026,
        "measure": "share",
        "target": Decimal("100"),
        "procurement_budget": Decimal("5000000"),
    }
    with pytest.raises(NotAllowed):
        target_add(actor=person_with_role(Role.PROCUREMENT_OFFICER), data=data)
    assert target_add(actor=ministry_staff, data=data).target == Decimal("100")
    with pytest.raises(DomainError) as twice:
        target_add(actor=ministry_staff, data=data)
    assert twice.value.code == "duplicate"
