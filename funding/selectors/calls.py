"""One call's money: its phases' funds, its contracts and its co-financing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from calls.models import Call
from portal.money import ZERO, MoneyField
from proposals.models import Contract, Deliverable

from ..models import Account, CoFinancingApplication, Entry, Fund

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
            held=Coalesce(Subquery(held), Value(ZERO), output_field=MoneyField()),
            paid=Coalesce(Subquery(paid), Value(ZERO), output_field=MoneyField()),
        )
        .order_by("proposal__phase__order", "proposal__submission_number", "pk")
    )


def call_cofinancing_money(call: Call) -> list[CoFinancingApplication]:
    """EZK's approved co-financing of the call: granted, still committed (``held``) and paid
    (``paid``) as annotations of each application. One query."""
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
            held=Coalesce(Subquery(held), Value(ZERO), output_field=MoneyField()),
            paid=Coalesce(Subquery(paid), Value(ZERO), output_field=MoneyField()),
        )
        .order_by("submitted_at", "pk")
    )
