"""Reads of the ledger: balances from the maintained account balances, one query for all."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from calls.models import Call, Mission
from proposals.models import Contract, Deliverable

from .models import Account, AuthorityTarget, CoFinancingApplication, Entry, Fund

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


def _committed_entries():
    """Entries on EZK's commitment accounts: their sum is what EZK committed and not yet paid.

    The authorities' own phase funds (which follow their contracts) are left out: the
    ministry's figures are about the EZK budget.
    """
    return Entry.objects.filter(
        account__kind=Account.Kind.COMMITTED, account__fund__kind=Fund.Kind.EZK
    ).order_by()


def committed_by(key: str) -> list[dict]:
    """The committed amount grouped by one field (of the entry's transaction): one query."""
    return list(
        _committed_entries()
        .values(key)
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by(key)
    )


def committed_per_year() -> list[dict]:
    rows = (
        _committed_entries()
        .annotate(year=ExtractYear("transaction__created_at"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return [{"label": row["year"], "total": row["total"]} for row in rows if row["total"]]


def committed_per_instrument() -> list[dict]:
    names = dict(Call.Instrument.choices)
    key = "transaction__call__instrument"
    return [
        {"label": names.get(row[key], _("no call")), "total": row["total"]}
        for row in committed_by(key)
    ]


def committed_per_mission() -> list[dict]:
    """Per mission of the call; a call with two missions counts for both."""
    missions = {mission.pk: str(mission) for mission in Mission.objects.all()}
    key = "transaction__call__missions"
    return [
        {"label": missions.get(row[key], _("no mission")), "total": row["total"]}
        for row in committed_by(key)
    ]


def committed_per_authority() -> list[dict]:
    key = "transaction__call__authority__name"
    return [{"label": row[key] or _("no call"), "total": row["total"]} for row in committed_by(key)]


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
