"""Reads of the funds ministry staff manage, and a fund's budget years."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from portal.models import Organisation, Role, User
from portal.money import ZERO

from ..models import Account, Entry, Fund, Transaction
from .budget import FundBalance, fund_balances


def ezk_funds() -> QuerySet[Fund]:
    return Fund.objects.filter(kind=Fund.Kind.EZK).select_related("owner")


def ezk_fund_balances() -> list[FundBalance]:
    return fund_balances(ezk_funds().order_by("-period_start", "code"))


def ezk_fund_by_code(code: str) -> Fund | None:
    return ezk_funds().filter(code=code).first()


def fund_owners_for(user: User) -> QuerySet[Organisation]:
    """The ministries whose funds this person may create: their own."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.MINISTRY,
        memberships__user=user,
        memberships__role=Role.MINISTRY_STAFF,
    ).distinct()


@dataclass(frozen=True)
class BudgetYear:
    year: int
    committed: Decimal  # new commitments booked in the year
    released: Decimal  # commitments given back in the year
    paid: Decimal  # cash paid in the year
    committed_at_end: Decimal  # what was still committed at the end of the year
    after_period: bool  # the year lies after the fund's period


@dataclass(frozen=True)
class BudgetYears:
    fund: Fund
    years: list[BudgetYear]
    still_committed: Decimal
    period_over: bool

    @property
    def warning(self) -> bool:
        """The fund's period is over and money is still committed: it must be paid or
        released (and accounted for in a later budget year)."""
        return self.period_over and self.still_committed > ZERO


def budget_years(fund: Fund, *, today: date | None = None) -> BudgetYears:
    """Per calendar year of a fund: commitments made, released and cash paid, and what was still
    committed at the year's end. One grouped query over the entries, whatever their number."""
    today = today or timezone.localdate()
    rows = (
        Entry.objects.filter(
            account__fund=fund, account__kind__in=(Account.Kind.COMMITTED, Account.Kind.PAID)
        )
        .annotate(year=ExtractYear("transaction__created_at"))
        .order_by()
        .values("year", "account__kind", "transaction__kind")
        .annotate(total=Sum("amount"))
    )
    per_year: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        bucket = per_year[row["year"]]
        if row["account__kind"] == Account.Kind.PAID:
            bucket["paid"] += row["total"]
        elif row["transaction__kind"] == Transaction.Kind.PAYMENT:
            bucket["out"] += row["total"]  # leaves committed towards paid
        elif row["total"] > ZERO:
            bucket["committed"] += row["total"]
        else:
            bucket["released"] -= row["total"]
    first = min([fund.period_start.year, *per_year])
    last = max([fund.period_end.year, today.year, *per_year])
    years, running = [], ZERO
    for year in range(first, last + 1):
        bucket = per_year.get(year, {})
        committed = bucket.get("committed", ZERO)
        released = bucket.get("released", ZERO)
        running += committed - released + bucket.get("out", ZERO)
        years.append(
            BudgetYear(
                year=year,
                committed=committed,
                released=released,
                paid=bucket.get("paid", ZERO),
                committed_at_end=running,
                after_period=year > fund.period_end.year,
            )
        )
    return BudgetYears(
        fund=fund, years=years, still_committed=running, period_over=fund.period_end < today
    )
