"""The funding demo data: the EZK budgets of the cabinet period and of 2021, fully committed."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from funding.demo import CABINET_FUND, ONE_OFF_FUND
from funding.models import Account, CoFinancingApplication, Entry, Fund, FundingRound, Transaction
from funding.selectors import fund_balances

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
