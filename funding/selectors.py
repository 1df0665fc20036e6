"""Reads of the ledger: balances from the maintained account balances, one query for all."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Mission
from portal.models import Organisation
from proposals.models import Contract, Deliverable, Proposal

from .models import Account, AuthorityTarget, CallUse, CoFinancingApplication, Entry, Fund

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
TRAJECTORY_INSTRUMENTS = (Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP)

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


def use_per_authority() -> list[dict]:
    return [{**row, "label": row["key"]} for row in use_by("call__authority__name")]


def applications_per_status() -> list[dict]:
    names = dict(CoFinancingApplication.Status.choices)
    rows = (
        CoFinancingApplication.objects.order_by()
        .values("status")
        .annotate(count=Count("pk"), total=Sum("requested"))
        .order_by("status")
    )
    return [{"label": names[row["status"]], **row} for row in rows]


def targets_with_progress(targets):
    """Each target with what the authority achieved in its year, as annotations."""
    trajectories = (
        Call.objects.filter(
            authority=OuterRef("authority"),
            publication_date__year=OuterRef("year"),
            instrument__in=TRAJECTORY_INSTRUMENTS,
        )
        .exclude(status=Call.Status.DRAFT)
        .order_by()
        .values("authority")
        .annotate(n=Count("pk"))
        .values("n")
    )
    contracted = (
        Contract.objects.filter(
            proposal__call__authority=OuterRef("authority"),
            start_date__year=OuterRef("year"),
        )
        .order_by()
        .values("proposal__call__authority")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return targets.select_related("authority").annotate(
        trajectories=Coalesce(Subquery(trajectories), Value(0)),
        contracted=Coalesce(Subquery(contracted), Value(ZERO), output_field=MONEY_FIELD),
    )


def progress_of(target: AuthorityTarget) -> dict:
    """What counts for the target's measure, and how much of the target that is (in %)."""
    if target.measure == AuthorityTarget.Measure.TRAJECTORIES:
        achieved = Decimal(target.trajectories)
    elif target.measure == AuthorityTarget.Measure.AMOUNT:
        achieved = Decimal(target.contracted)
    elif target.procurement_budget:
        achieved = (Decimal(target.contracted) / target.procurement_budget * 100).quantize(
            Decimal("0.1")
        )
    else:
        achieved = None
    percent = None
    if achieved is not None and target.target > 0:
        percent = min(int(achieved / target.target * 100), 999)
    return {"target": target, "achieved": achieved, "percent": percent}


# --- One call's money: its phases' funds and its contracts ------------------------------------


@dataclass(frozen=True)
class PhaseMoney:
    phase: object
    budget: Decimal
    committed: Decimal  # committed to contracts and not yet paid
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.paid


def call_phase_money(call: Call) -> list[PhaseMoney]:
    """Per phase: its budget, what contracts still hold, what was paid, what is left.

    Two queries whatever the number of phases or contracts: the phases, and the maintained
    balances of their funds grouped by phase and kind.
    """
    phases = list(call.phases.order_by("order"))
    sums = {
        (row["fund__phase_id"], row["kind"]): row["total"]
        for row in Account.objects.filter(
            fund__phase__call=call,
            fund__kind=Fund.Kind.AUTHORITY,
            kind__in=[Account.Kind.COMMITTED, Account.Kind.PAID],
        )
        .values("fund__phase_id", "kind")
        .annotate(total=Sum("balance"))
        .order_by()
    }
    return [
        PhaseMoney(
            phase=phase,
            budget=phase.budget,
            committed=sums.get((phase.pk, Account.Kind.COMMITTED)) or ZERO,
            paid=sums.get((phase.pk, Account.Kind.PAID)) or ZERO,
        )
        for phase in phases
    ]


def call_contracts_money(call: Call):
    """The call's contracts with what each still holds and has been paid (annotations)."""
    held = Account.objects.filter(
        contract=OuterRef("pk"), kind=Account.Kind.COMMITTED, fund__kind=Fund.Kind.AUTHORITY
    ).values("balance")[:1]
    paid = (
        Entry.objects.filter(
            transaction__contract=OuterRef("pk"),
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.AUTHORITY,
        )
        .order_by()
        .values("transaction__contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Contract.objects.filter(proposal__call=call)
        .select_related("proposal__company", "proposal__phase")
        .prefetch_related(
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "pk"))
        )
        .annotate(
            held=Coalesce(Subquery(held), Value(ZERO), output_field=MONEY_FIELD),
            paid=Coalesce(Subquery(paid), Value(ZERO), output_field=MONEY_FIELD),
        )
        .order_by("proposal__phase__order", "proposal__submission_number", "pk")
    )


def call_cofinancing_money(call: Call) -> list[dict]:
    """EZK's approved co-financing of the call: granted, still committed, paid. One query."""
    paid = (
        Entry.objects.filter(
            transaction__application=OuterRef("pk"),
            account__kind=Account.Kind.PAID,
        )
        .order_by()
        .values("transaction__application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    held = Account.objects.filter(application=OuterRef("pk"), kind=Account.Kind.COMMITTED).values(
        "balance"
    )[:1]
    return list(
        CoFinancingApplication.objects.filter(
            call=call, status=CoFinancingApplication.Status.APPROVED
        )
        .select_related("round")
        .annotate(
            held=Coalesce(Subquery(held), Value(ZERO), output_field=MONEY_FIELD),
            paid=Coalesce(Subquery(paid), Value(ZERO), output_field=MONEY_FIELD),
        )
        .order_by("submitted_at", "pk")
    )


# --- The trajectories EZK co-finances, with their phase funnel ---------------------------------

# A proposal that reached the committee: submitted, and whatever was decided after.
RESPONDED = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.UNDER_ASSESSMENT,
    Proposal.Status.AWARDED,
    Proposal.Status.REJECTED,
)


def end_of(day: date) -> datetime:
    """The first moment after a day in the portal's time zone: 'until and including'."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass
class Trajectory:
    """A call EZK co-finances: what EZK granted (in all and per fund), what it paid, and the
    funnel of its phases (responses to the first phase, awards in the first and later ones)."""

    call: Call
    ezk_amount: Decimal
    ezk_paid: Decimal
    granted_per_fund: dict[int, Decimal]
    paid_per_fund: dict[int, Decimal]
    responses: int
    feasibility: int
    prototype: int
    awarded_companies: list[str] = field(default_factory=list)

    @property
    def missions(self) -> list[Mission]:
        return list(self.call.missions.all())


def _ezk_paid_per_call(calls, until: date | None):
    """(call, fund, paid) rows: today's from the maintained totals, an earlier day's (for a
    report over a past period) from the entries up to that day."""
    if until is None:
        return (
            CallUse.objects.filter(call__in=calls, kind=Account.Kind.PAID, fund__kind=Fund.Kind.EZK)
            .order_by()
            .values("call", "fund")
            .annotate(total=Sum("amount"))
            .values_list("call", "fund", "total")
        )
    return (
        Entry.objects.filter(
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.EZK,
            transaction__call__in=calls,
            transaction__created_at__lt=end_of(until),
        )
        .order_by()
        .values("transaction__call", "account__fund")
        .annotate(total=Sum("amount"))
        .values_list("transaction__call", "account__fund", "total")
    )


def supported_trajectories(
    until: date | None = None, authorities: Iterable[Organisation] | None = None
) -> list[Trajectory]:
    """Calls with approved EZK co-financing by the end of a day (up to now when not given),
    of the given contracting authorities only when those are given.

    Four queries however many trajectories: the calls with their missions, the granted
    amounts per fund, the funnel counts and what EZK paid by then.
    """
    day = until or timezone.localdate()
    approved = CoFinancingApplication.objects.filter(
        status=CoFinancingApplication.Status.APPROVED, decided_at__lt=end_of(day)
    ).order_by()
    if authorities is not None:
        approved = approved.filter(call__authority__in=authorities)
    calls = (
        Call.objects.filter(pk__in=approved.values("call"))
        .select_related("authority")
        .prefetch_related(Prefetch("missions", queryset=Mission.objects.order_by("order")))
        .order_by("publication_date", "pk")
    )
    granted: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for call_pk, fund_pk, total in (
        approved.values("call", "round__fund")
        .annotate(total=Sum("requested"))
        .values_list("call", "round__fund", "total")
    ):
        granted[call_pk][fund_pk] = total
    paid: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for call_pk, fund_pk, total in _ezk_paid_per_call(approved.values("call"), until):
        paid[call_pk][fund_pk] = total
    responded = Q(proposals__status__in=RESPONDED)
    awarded = Q(proposals__status=Proposal.Status.AWARDED)
    funnel = {
        row["pk"]: row
        for row in Call.objects.filter(pk__in=approved.values("call"))
        .order_by()
        .values("pk")
        .annotate(
            responses=Count("proposals", filter=responded & Q(proposals__phase__order=1)),
            feasibility=Count("proposals", filter=awarded & Q(proposals__phase__order=1)),
            prototype=Count("proposals", filter=awarded & Q(proposals__phase__order__gte=2)),
        )
    }
    return [
        Trajectory(
            call=call,
            ezk_amount=sum(granted[call.pk].values(), ZERO),
            ezk_paid=sum(paid[call.pk].values(), ZERO),
            granted_per_fund=granted[call.pk],
            paid_per_fund=paid[call.pk],
            responses=funnel[call.pk]["responses"],
            feasibility=funnel[call.pk]["feasibility"],
            prototype=funnel[call.pk]["prototype"],
        )
        for call in calls
    ]


def add_awarded_companies(trajectories: list[Trajectory]) -> None:
    """For highlighted cases: which companies won the last phase that has awards."""
    by_call = {trajectory.call.pk: trajectory for trajectory in trajectories}
    rows = (
        Proposal.objects.filter(call__in=by_call, status=Proposal.Status.AWARDED)
        .order_by("call", "-phase__order", "company__name")
        .values_list("call", "phase__order", "company__name")
    )
    last_phase: dict[int, int] = {}
    for call_pk, order, company in rows:
        if last_phase.setdefault(call_pk, order) == order:
            by_call[call_pk].awarded_companies.append(company)
