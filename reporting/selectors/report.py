"""The figures of a progress report, read from the ledger and the calls: a fixed number of
aggregate queries, however many transactions or trajectories there are."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from calls.models import Mission
from funding.models import Account, AuthorityTarget, Entry, Fund
from funding.selectors.targets import progress_of, targets_with_progress
from funding.selectors.trajectories import end_of
from portal.money import ZERO

# The money a fund has put to use: still committed plus already paid.
USED_KINDS = (Account.Kind.COMMITTED, Account.Kind.PAID)


@dataclass(frozen=True)
class FundPosition:
    fund: Fund
    appropriated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal

    @property
    def used_percent(self) -> int:
        if self.appropriated <= 0:
            return 0
        return int((self.committed + self.paid) / self.appropriated * 100)


def fund_positions(until: date) -> list[FundPosition]:
    """Each fund as it stood at the end of a day: one grouped query over the entries."""
    # Funds that existed by then: a fund whose period starts later is not in a past report.
    funds = list(
        Fund.objects.filter(period_start__lte=until)
        .select_related("owner")
        .order_by("kind", "period_start", "code")
    )
    sums = {
        (row["account__fund"], row["account__kind"]): row["total"]
        for row in Entry.objects.filter(transaction__created_at__lt=end_of(until))
        .order_by()
        .values("account__fund", "account__kind")
        .annotate(total=Sum("amount"))
    }

    def of(fund: Fund, kind: str) -> Decimal:
        return sums.get((fund.pk, kind)) or ZERO

    return [
        FundPosition(
            fund=fund,
            appropriated=-of(fund, Account.Kind.APPROPRIATION),
            committed=of(fund, Account.Kind.COMMITTED),
            paid=of(fund, Account.Kind.PAID),
            available=of(fund, Account.Kind.AVAILABLE),
        )
        for fund in funds
    ]


@dataclass(frozen=True)
class MonthPoint:
    month: date
    committed: Decimal  # put to use by the end of the month, cumulative
    paid: Decimal  # paid by the end of the month, cumulative


def use_over_time(funds: list[Fund], until: date, since: date | None = None) -> list[MonthPoint]:
    """Month by month, how much of the given funds was put to use and how much was paid,
    cumulative; with ``since`` only the months from then on (what came before is the
    starting level)."""
    rows = (
        Entry.objects.filter(
            account__fund__in=funds,
            account__kind__in=USED_KINDS,
            transaction__created_at__lt=end_of(until),
        )
        .annotate(month=TruncMonth("transaction__created_at"))
        .order_by()
        .values("month", "account__kind")
        .annotate(total=Sum("amount"))
    )
    per_month: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        per_month[month][row["account__kind"]] += row["total"]
    points, used, paid = [], ZERO, ZERO
    first = since.replace(day=1) if since else None
    for month in sorted(per_month):
        # A payment moves money from committed to paid: used stays the same, paid grows.
        used += per_month[month][Account.Kind.COMMITTED] + per_month[month][Account.Kind.PAID]
        paid += per_month[month][Account.Kind.PAID]
        if first is None or month >= first:
            points.append(MonthPoint(month=month, committed=used, paid=paid))
    if first is not None and (not points or points[0].month != first) and (used or paid):
        # The level at the start of the period, so the line starts where the period starts.
        start_used = used - sum(
            (per_month[m][Account.Kind.COMMITTED] + per_month[m][Account.Kind.PAID])
            for m in per_month
            if m >= first
        )
        start_paid = paid - sum(per_month[m][Account.Kind.PAID] for m in per_month if m >= first)
        points = [MonthPoint(month=first, committed=start_used, paid=start_paid), *points]
    return points


def use_per_mission(funds: list[Fund], until: date) -> list[tuple[str, Decimal]]:
    """What the funds put to use per mission of the call (a call with two counts for both)."""
    names = {mission.pk: str(mission) for mission in Mission.objects.all()}
    rows = (
        Entry.objects.filter(
            account__fund__in=funds,
            account__kind__in=USED_KINDS,
            transaction__created_at__lt=end_of(until),
            transaction__call__missions__isnull=False,
        )
        .order_by()
        .values("transaction__call__missions")
        .annotate(total=Sum("amount"))
    )
    totals = [(names[row["transaction__call__missions"]], row["total"]) for row in rows]
    return sorted((item for item in totals if item[1]), key=lambda item: (-item[1], item[0]))


def targets_in(period_start: date, period_end: date) -> list[dict]:
    targets = AuthorityTarget.objects.filter(year__gte=period_start.year, year__lte=period_end.year)
    return [progress_of(target) for target in targets_with_progress(targets)]
