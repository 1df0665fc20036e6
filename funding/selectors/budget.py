"""Reads of the ledger: balances from the maintained account balances, one query for all."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from calls.models import Call, Mission
from portal.models import Role
from portal.money import ZERO, MoneyField
from portal.selectors.identity import organisations_of

from ..models import Account, CallUse, CoFinancingApplication, Fund, Transaction

TRAJECTORY_INSTRUMENTS = (Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP)
ZERO_VALUE = Value(ZERO, output_field=MoneyField())


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


def use_by(key: str) -> list[dict]:
    """What EZK still holds (committed) and paid, grouped by a field of CallUse: one query
    over the maintained totals, a few rows per call, whatever the number of transactions.

    The authorities' own phase funds (which follow their contracts) are left out: the
    ministry's figures are about the EZK budget. Rows are {"key", "committed", "paid"} in the
    order of the key; a group with neither is left out.
    """
    grouped: dict = {}
    rows = (
        CallUse.objects.filter(fund__kind=Fund.Kind.EZK)
        .order_by()
        .values(key, "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        figures = grouped.setdefault(row[key], {"key": row[key], "committed": ZERO, "paid": ZERO})
        figures[row["kind"]] = row["total"]
    used = [row for row in grouped.values() if row["committed"] or row["paid"]]
    return sorted(used, key=lambda row: (row["key"] is None, row["key"] or 0))


def use_per_year() -> list[dict]:
    """What was committed (less what was released) and what was paid in each year.

    A year's flows rather than what is held now: a payment moves money from committed to
    paid, so the year's net change of the commitments plus its payments is what it newly
    committed.
    """
    return [
        {**row, "label": row["key"], "committed": row["committed"] + row["paid"]}
        for row in use_by("year")
    ]


def use_per_instrument() -> list[dict]:
    names = dict(Call.Instrument.choices)
    return [{**row, "label": names[row["key"]]} for row in use_by("call__instrument")]


def use_per_mission() -> list[dict]:
    """Per mission of the call; a call with two missions counts for both."""
    missions = {mission.pk: str(mission) for mission in Mission.objects.all()}
    return [
        {**row, "label": missions.get(row["key"], _("no mission"))}
        for row in use_by("call__missions")
    ]


def use_per_authority() -> QuerySet:
    """Per contracting authority what EZK holds (committed) and paid for its calls, in the
    order of the names: a grouped query to paginate (there are thousands of authorities).
    Rows are {"authority", "label", "committed", "paid"}; one with neither is left out."""
    committed = Coalesce(Sum("amount", filter=Q(kind=Account.Kind.COMMITTED)), ZERO_VALUE)
    paid = Coalesce(Sum("amount", filter=Q(kind=Account.Kind.PAID)), ZERO_VALUE)
    return (
        CallUse.objects.filter(fund__kind=Fund.Kind.EZK)
        .values(authority=F("call__authority"), label=F("call__authority__name"))
        .annotate(committed=committed, paid=paid)
        .exclude(committed=0, paid=0)
        .order_by("label", "authority")
    )


def applications_per_status() -> list[dict]:
    names = dict(CoFinancingApplication.Status.choices)
    rows = (
        CoFinancingApplication.objects.order_by()
        .values("status")
        .annotate(count=Count("pk"), total=Sum("requested"))
        .order_by("status")
    )
    return [{"label": names[row["status"]], **row} for row in rows]


def ezk_funds() -> QuerySet[Fund]:
    """EZK's budgets (not the authorities' phase funds), with their owner."""
    return Fund.objects.filter(kind=Fund.Kind.EZK).select_related("owner")


def ezk_fund_codes() -> dict[int, str]:
    return dict(Fund.objects.filter(kind=Fund.Kind.EZK).values_list("pk", "code"))


def no_funds() -> QuerySet[Fund]:
    return Fund.objects.none()


def funds_visible_to(user, *, everything: bool) -> QuerySet[Fund]:
    """Every fund (``everything``: ministry and portal staff), else those of the authorities
    in which the person is a procurement officer."""
    funds = Fund.objects.select_related("owner")
    if everything:
        return funds
    return funds.filter(owner__in=organisations_of(user, role=Role.PROCUREMENT_OFFICER))


def fund_transactions(fund: Fund) -> QuerySet[Transaction]:
    """The fund's transactions, newest first, each with its amount (the sum of its debits)."""
    return (
        Transaction.objects.filter(fund=fund)
        .select_related("created_by", "call")
        .annotate(amount=Sum("entries__amount", filter=Q(entries__amount__gt=0)))
        .order_by("-created_at", "-pk")
    )


def fund_transactions_with_entries(fund: Fund) -> QuerySet[Transaction]:
    """The fund's transactions, newest first, with their entries and accounts."""
    return (
        Transaction.objects.filter(fund=fund)
        .select_related("created_by")
        .prefetch_related("entries__account")
        .order_by("-created_at", "-pk")
    )
