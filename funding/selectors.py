"""Reads of the ledger: balances from the maintained account balances, one query for all."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from .models import Account, Fund

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FundBalance:
    fund: Fund
    appropriated: Decimal
    available: Decimal
    committed: Decimal
    paid: Decimal


def fund_balances(funds=None) -> list[FundBalance]:
    """Appropriated, available, committed and paid per fund: one grouped query, whatever the
    number of transactions (the balances are kept up to date by every posting)."""
    funds = list(funds if funds is not None else Fund.objects.all())
    sums = {
        (row["fund_id"], row["kind"]): row["total"]
        for row in Account.objects.filter(fund__in=funds)
        .values("fund_id", "kind")
        .annotate(total=Sum("balance"))
    }

    def of(fund, kind):
        return sums.get((fund.pk, kind)) or ZERO

    return [
        FundBalance(
            fund=fund,
            appropriated=-of(fund, Account.Kind.APPROPRIATION),
            available=of(fund, Account.Kind.AVAILABLE),
            committed=of(fund, Account.Kind.COMMITTED),
            paid=of(fund, Account.Kind.PAID),
        )
        for fund in funds
    ]
